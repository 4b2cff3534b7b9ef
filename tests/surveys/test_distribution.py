"""Publishing a survey and its schedule (SPEC §5.2): services and the distribution page."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from surveys.models import Invitation, Survey
from surveys.services import distribution as service
from trygga_platser.audit.models import AuditEntry
from trygga_platser.notifications.models import OutboundEmail

from .factories import InvitationFactory, ResponseFactory
from .factories_distribution import distribution_url, survey_in

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


# ------------------------------------------------------------------------------------------------
# survey_publish
# ------------------------------------------------------------------------------------------------

def test_publishing_sets_the_dates_and_is_audited(world):
    # given a draft with a question
    survey = survey_in(world.project, state="draft")
    today = timezone.localdate()

    # when it is published from today for two weeks
    survey = service.survey_publish(survey=survey, user=world.project_coordinator, opens_on=today,
                                    closes_on=today + timedelta(days=14))

    # then it is open and the log says so
    assert survey.published_at is not None and survey.state() == Survey.State.OPEN
    assert AuditEntry.objects.filter(project=world.project, action="survey.published").count() == 1


def test_publishing_needs_a_question(world):
    survey = survey_in(world.project, state="draft", questions=0)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        service.survey_publish(survey=survey, user=world.project_coordinator, opens_on=today, closes_on=today)
    assert _messages(caught.value) == [str(service.NO_QUESTIONS)]


@pytest.mark.parametrize(("opens", "closes", "message"), [
    (None, 5, service.OPENS_REQUIRED),
    (0, None, service.CLOSES_REQUIRED),
    (-1, 5, service.OPENS_IN_PAST),
    (5, 4, service.CLOSES_BEFORE_OPENS),
])
def test_publishing_validates_the_dates(world, opens, closes, message):
    survey = survey_in(world.project, state="draft")
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        service.survey_publish(
            survey=survey, user=world.project_coordinator,
            opens_on=None if opens is None else today + timedelta(days=opens),
            closes_on=None if closes is None else today + timedelta(days=closes))
    assert str(message) in _messages(caught.value)
    survey.refresh_from_db()
    assert survey.published_at is None


def test_publishing_twice_is_refused(world):
    survey = survey_in(world.project, state="open")
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        service.survey_publish(survey=survey, user=world.project_coordinator, opens_on=today, closes_on=today)
    assert _messages(caught.value) == [str(service.ALREADY_PUBLISHED)]


def test_publishing_an_open_survey_sends_the_waiting_invitations(world, django_capture_on_commit_callbacks):
    # given a draft with two invitations added before publishing
    survey = survey_in(world.project, state="draft")
    InvitationFactory(survey=survey)
    InvitationFactory(survey=survey)
    today = timezone.localdate()

    # when it is published from today (and the transaction commits)
    with django_capture_on_commit_callbacks(execute=True):
        service.survey_publish(survey=survey, user=world.project_coordinator, opens_on=today,
                               closes_on=today + timedelta(days=7))

    # then both invitations are queued and marked sent
    assert OutboundEmail.objects.filter(key__startswith="survey-invitation:").count() == 2
    assert not Invitation.objects.filter(survey=survey, sent_at__isnull=True).exists()


def test_publishing_a_survey_that_opens_later_sends_nothing_yet(world, django_capture_on_commit_callbacks):
    survey = survey_in(world.project, state="draft")
    InvitationFactory(survey=survey)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        service.survey_publish(survey=survey, user=world.project_coordinator, opens_on=today + timedelta(days=2),
                               closes_on=today + timedelta(days=9))
    assert OutboundEmail.objects.count() == 0


# ------------------------------------------------------------------------------------------------
# survey_schedule_update, survey_close_now
# ------------------------------------------------------------------------------------------------

def _update(survey, user, **overrides):
    values = {"opens_on": survey.opens_on, "closes_on": survey.closes_on, "public_link_enabled": True,
              "reminder_days": [14, 28], **overrides}
    return service.survey_schedule_update(survey=survey, user=user, **values)


@pytest.mark.parametrize(("days", "message"), [
    ([7, 14, 21, 28], service.TOO_MANY_REMINDERS % {"max": 3}),
    ([0], service.REMINDER_OUT_OF_RANGE),
    ([91], service.REMINDER_OUT_OF_RANGE),
    ([14, 14], service.REMINDERS_NOT_INCREASING),
    ([28, 14], service.REMINDERS_NOT_INCREASING),
])
def test_reminder_days_are_validated(world, days, message):
    survey = survey_in(world.project, state="open")
    with pytest.raises(ValidationError) as caught:
        _update(survey, world.project_coordinator, reminder_days=days)
    assert str(message) in _messages(caught.value)


def test_schedule_changes_are_saved_and_audited(world):
    survey = survey_in(world.project, state="open")
    survey = _update(survey, world.project_coordinator, reminder_days=[7], public_link_enabled=False,
                     closes_on=survey.closes_on + timedelta(days=7))
    survey.refresh_from_db()
    assert survey.reminder_days == [7] and survey.public_link_enabled is False
    entry = AuditEntry.objects.get(action="survey.schedule_updated")
    assert set(entry.changes) == {"reminder_days", "public_link_enabled", "closes_on"}


def test_an_empty_reminder_schedule_is_allowed(world):
    survey = _update(survey_in(world.project, state="open"), world.project_coordinator, reminder_days=[])
    assert survey.reminder_days == []


def test_a_published_survey_cannot_close_before_it_opens(world):
    survey = survey_in(world.project, state="scheduled")
    with pytest.raises(ValidationError) as caught:
        _update(survey, world.project_coordinator, closes_on=survey.opens_on - timedelta(days=1))
    assert str(service.CLOSES_BEFORE_OPENS) in _messages(caught.value)


def test_close_now_closes_an_open_survey(world):
    survey = survey_in(world.project, state="open")
    survey = service.survey_close_now(survey=survey, user=world.project_coordinator)
    assert survey.state() == Survey.State.CLOSED
    assert AuditEntry.objects.filter(action="survey.closed").count() == 1


def test_close_now_on_a_scheduled_survey_keeps_the_dates_consistent(world):
    survey = service.survey_close_now(survey=survey_in(world.project, state="scheduled"),
                                      user=world.project_coordinator)
    survey.refresh_from_db()
    assert survey.state() == Survey.State.CLOSED and survey.opens_on <= survey.closes_on


def test_close_now_refuses_drafts_and_closed_surveys(world):
    for state, message in (("draft", service.NOT_PUBLISHED), ("closed", service.ALREADY_CLOSED)):
        with pytest.raises(ValidationError) as caught:
            service.survey_close_now(survey=survey_in(world.project, state=state), user=world.project_coordinator)
        assert _messages(caught.value) == [str(message)]


# ------------------------------------------------------------------------------------------------
# The page
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "status"), [
    ("org_coordinator", 200), ("project_coordinator", 200), ("coach", 200), ("project_viewer", 200),
    ("member", 200), ("county_officer", 403), ("other_coordinator", 404), ("outsider", 404),
])
def test_who_sees_the_distribution_page(world, client_for, role, status):
    survey = survey_in(world.project, state="open")
    InvitationFactory(survey=survey, email="anna@example.org")
    response = client_for(getattr(world, role)).get(distribution_url("distribution", survey))
    assert response.status_code == status
    if status == 200:
        assert "anna@example.org" in response.content.decode()


def test_the_page_of_another_municipality_survey_is_404(world, client_for):
    foreign = survey_in(world.other_project, state="open")
    url = distribution_url("distribution", foreign).replace(f"/{world.other_project.pk}/", f"/{world.project.pk}/", 1)
    assert client_for(world.project_coordinator).get(url).status_code == 404


def test_only_managers_see_the_forms(world, client_for):
    survey = survey_in(world.project, state="draft")
    manager = client_for(world.project_coordinator).get(distribution_url("distribution", survey)).content.decode()
    assert distribution_url("publish", survey) in manager and distribution_url("invitations_upload", survey) in manager
    coach = client_for(world.coach).get(distribution_url("distribution", survey)).content.decode()
    assert distribution_url("publish", survey) not in coach and distribution_url("invitations_upload", survey) not in coach


def test_the_page_shows_the_public_link_qr_code_and_downloads(world, client_for):
    survey = survey_in(world.project, state="open")
    content = client_for(world.project_coordinator).get(distribution_url("distribution", survey)).content.decode()
    assert survey.public_token in content
    assert '<svg role="img"' in content
    assert distribution_url("qr_svg", survey) in content and distribution_url("qr_png", survey) in content
    # the copy button is hidden until the page's script finds a clipboard
    assert 'data-copy-target="public-url"' in content and "js/survey-distribution" in content


def test_the_page_never_says_which_response_is_whose(world, client_for):
    # given an answered invitation and a response
    survey = survey_in(world.project, state="open")
    InvitationFactory(survey=survey, email="svar@example.org", used_on=timezone.localdate())
    response = ResponseFactory(survey=survey)
    content = client_for(world.project_coordinator).get(distribution_url("distribution", survey)).content.decode()
    # then the page names the address but not the response
    assert "svar@example.org" in content and str(response.pk) not in content


def test_publish_through_the_page(world, client_for):
    survey = survey_in(world.project, state="draft")
    today = timezone.localdate()
    response = client_for(world.project_coordinator).post(distribution_url("publish", survey), {
        "publish-opens_on": today.isoformat(), "publish-closes_on": (today + timedelta(days=10)).isoformat()})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.state() == Survey.State.OPEN


def test_publish_errors_are_shown_next_to_the_field(world, client_for):
    survey = survey_in(world.project, state="draft")
    today = timezone.localdate()
    response = client_for(world.project_coordinator).post(distribution_url("publish", survey), {
        "publish-opens_on": today.isoformat(), "publish-closes_on": (today - timedelta(days=1)).isoformat()})
    assert response.status_code == 400
    assert str(service.CLOSES_BEFORE_OPENS) in response.content.decode()


@pytest.mark.parametrize("name", ["publish", "schedule", "close", "invitations_add", "invitations_upload"])
def test_changes_need_manage(world, client_for, name):
    survey = survey_in(world.project, state="open")
    assert client_for(world.coach).post(distribution_url(name, survey), {}).status_code == 403
    assert client_for(world.other_coordinator).post(distribution_url(name, survey), {}).status_code == 404


def test_schedule_and_close_through_the_page(world, client_for):
    survey = survey_in(world.project, state="open")
    client = client_for(world.project_coordinator)
    response = client.post(distribution_url("schedule", survey), {
        "schedule-opens_on": survey.opens_on.isoformat(), "schedule-closes_on": survey.closes_on.isoformat(),
        "schedule-public_link_enabled": "on", "schedule-reminder_days": "10; 20"})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.reminder_days == [10, 20]
    bad = client.post(distribution_url("schedule", survey), {
        "schedule-opens_on": survey.opens_on.isoformat(), "schedule-closes_on": survey.closes_on.isoformat(),
        "schedule-reminder_days": "två veckor"})
    assert bad.status_code == 400
    assert client.post(distribution_url("close", survey)).status_code == 302
    survey.refresh_from_db()
    assert survey.state() == Survey.State.CLOSED


# ------------------------------------------------------------------------------------------------
# The live count
# ------------------------------------------------------------------------------------------------

def test_the_count_is_aggregate_and_county_boards_may_poll_it(world, client_for):
    # given five invitations, four sent, two answered, and three responses in all
    survey = survey_in(world.project, state="open")
    now = timezone.now()
    for n in range(5):
        InvitationFactory(survey=survey, email=f"p{n}@example.org", sent_at=now if n < 4 else None,
                          used_on=timezone.localdate() if n < 2 else None)
    for _n in range(3):
        ResponseFactory(survey=survey)

    # when the county officer's page polls the count
    response = client_for(world.county_officer).get(distribution_url("count", survey), HTTP_HX_REQUEST="true")

    # then it answers with the numbers and no addresses, and keeps polling
    content = response.content.decode()
    assert response.status_code == 200
    assert "50 %" in content and "p0@example.org" not in content
    assert 'hx-trigger="every 10s"' in content


def test_the_count_stops_polling_when_the_survey_is_closed(world, client_for):
    survey = survey_in(world.project, state="closed")
    response = client_for(world.project_coordinator).get(distribution_url("count", survey), HTTP_HX_REQUEST="true")
    assert response.status_code == 286
    assert "hx-trigger" not in response.content.decode()


def test_the_count_of_another_municipality_is_404(world, client_for):
    survey = survey_in(world.other_project, state="open")
    assert client_for(world.county_officer).get(distribution_url("count", survey)).status_code == 404


def test_the_page_query_count_is_flat_as_invitations_grow(world, client_for):
    survey = survey_in(world.project, state="open")
    client = client_for(world.project_coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(distribution_url("distribution", survey)).status_code == 200
        return len(captured)

    InvitationFactory(survey=survey, sent_at=timezone.now())
    few = queries()
    for _n in range(30):
        InvitationFactory(survey=survey, sent_at=timezone.now(), used_on=timezone.localdate())
    assert queries() == few


def test_the_schedule_of_a_draft_keeps_its_dates(world, client_for):
    # given a draft with planned dates (set by the builder's settings page)
    today = timezone.localdate()
    survey = survey_in(world.project, state="draft", opens_on=today + timedelta(days=2),
                       closes_on=today + timedelta(days=9))
    # when the reminders and public link are changed from the page, which shows no dates for a draft
    response = client_for(world.project_coordinator).post(distribution_url("schedule", survey), {
        "schedule-reminder_days": "7"})
    # then the dates stay and the rest is saved
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.opens_on, survey.closes_on) == (today + timedelta(days=2), today + timedelta(days=9))
    assert survey.reminder_days == [7] and survey.public_link_enabled is False


def test_a_closed_survey_keeps_its_past_dates_when_settings_change(world):
    survey = survey_in(world.project, state="closed")
    survey = _update(survey, world.project_coordinator, public_link_enabled=False)
    assert survey.public_link_enabled is False and survey.state() == Survey.State.CLOSED
    with pytest.raises(ValidationError) as caught:
        _update(survey, world.project_coordinator, closes_on=survey.closes_on - timedelta(days=1))
    assert str(service.CLOSES_IN_PAST) in _messages(caught.value)


def test_a_closed_survey_can_be_reopened_by_a_later_closing_day(world, django_capture_on_commit_callbacks):
    # given a closed survey with an invitation that was never sent
    survey = survey_in(world.project, state="closed")
    InvitationFactory(survey=survey)
    # when its closing day is moved into the future
    with django_capture_on_commit_callbacks(execute=True):
        survey = _update(survey, world.project_coordinator, closes_on=timezone.localdate() + timedelta(days=7))
    # then it is open again and the waiting invitation goes out
    assert survey.state() == Survey.State.OPEN
    assert OutboundEmail.objects.filter(key__startswith="survey-invitation:").count() == 1
