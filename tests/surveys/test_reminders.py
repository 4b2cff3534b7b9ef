"""Reminders to non-respondents (SPEC §5.2, §10): on the survey's schedule, only to those who have not
answered, capped, never twice however often the daily task runs."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from surveys import tasks
from surveys.models import MAX_REMINDERS, Invitation
from surveys.services.reminders import reminder_due_on, survey_reminders_send
from trygga_platser.notifications.models import OutboundEmail

from .factories import InvitationFactory
from .factories_distribution import survey_in

pytestmark = pytest.mark.django_db


def sent_days_ago(days: int):
    """An invitation time `days` before today, at ten in the morning local time."""
    day = timezone.localdate() - timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(10)))


def reminder_keys() -> list[str]:
    return sorted(OutboundEmail.objects.filter(key__startswith="survey-reminder:").values_list("key", flat=True))


@pytest.fixture
def open_survey(world):
    # open for a long time so that reminders can fall due inside it
    survey = survey_in(world.project, state="open", reminder_days=[14, 28])
    survey.opens_on = timezone.localdate() - timedelta(days=40)
    survey.closes_on = timezone.localdate() + timedelta(days=40)
    survey.save()
    return survey


def test_only_non_respondents_whose_reminder_is_due(open_survey):
    # given invitations sent 14 days ago (one answered), one sent 13 days ago and one never sent
    due = InvitationFactory(survey=open_survey, sent_at=sent_days_ago(14))
    InvitationFactory(survey=open_survey, sent_at=sent_days_ago(14), used_on=timezone.localdate())
    InvitationFactory(survey=open_survey, sent_at=sent_days_ago(13))
    InvitationFactory(survey=open_survey, sent_at=None)

    # when the daily run happens
    queued = survey_reminders_send()

    # then only the due non-respondent gets the first reminder, and it is counted
    assert queued == 1
    assert reminder_keys() == [f"survey-reminder:{due.pk}:1"]
    due.refresh_from_db()
    assert due.reminders_sent == 1 and due.last_reminded_at is not None
    email = OutboundEmail.objects.get(key=f"survey-reminder:{due.pk}:1")
    assert f"{settings.SITE_URL}/e/i/{due.token}/" in email.body_text


def test_running_twice_never_sends_twice(open_survey):
    # given a due reminder
    invitation = InvitationFactory(survey=open_survey, sent_at=sent_days_ago(20))

    # when the task runs twice the same day
    tasks.survey_reminders()
    tasks.survey_reminders()

    # then exactly one reminder e-mail exists
    assert OutboundEmail.objects.filter(key__startswith="survey-reminder:").count() == 1
    invitation.refresh_from_db()
    assert invitation.reminders_sent == 1


def test_a_missed_run_catches_up_one_reminder_a_day_without_skipping(open_survey):
    # given an invitation sent 30 days ago: both reminders (14, 28) are due, none sent
    invitation = InvitationFactory(survey=open_survey, sent_at=sent_days_ago(30))
    today = timezone.localdate()

    # when the task runs today (twice) and tomorrow
    survey_reminders_send(today=today)
    survey_reminders_send(today=today)
    assert reminder_keys() == [f"survey-reminder:{invitation.pk}:1"]
    Invitation.objects.filter(pk=invitation.pk).update(last_reminded_at=sent_days_ago(1))  # "yesterday's" run
    survey_reminders_send(today=today)

    # then both reminders went out, in order, and nothing more is planned
    assert reminder_keys() == [f"survey-reminder:{invitation.pk}:1", f"survey-reminder:{invitation.pk}:2"]
    invitation.refresh_from_db()
    assert invitation.reminders_sent == 2 and reminder_due_on(invitation) is None


def test_the_cap_is_respected(open_survey):
    # given a schedule at the maximum and an invitation that has had every reminder
    open_survey.reminder_days = [1, 2, 3]
    open_survey.save()
    capped = InvitationFactory(survey=open_survey, sent_at=sent_days_ago(30), reminders_sent=MAX_REMINDERS)
    # and a schedule stored longer than the cap (old data) with reminders_sent at the cap
    open_survey.reminder_days = [1, 2, 3, 4, 5]
    open_survey.save()
    assert reminder_due_on(capped) is None

    # when the task runs
    assert survey_reminders_send() == 0

    # then nothing is sent
    assert reminder_keys() == []


def test_a_schedule_shortened_after_sending_stops_reminders(open_survey):
    invitation = InvitationFactory(survey=open_survey, sent_at=sent_days_ago(30), reminders_sent=1)
    open_survey.reminder_days = [14]
    open_survey.save()
    assert survey_reminders_send() == 0
    invitation.refresh_from_db()
    assert invitation.reminders_sent == 1


@pytest.mark.parametrize("state", ["closed", "draft"])
def test_surveys_that_are_not_open_send_no_reminders(world, state):
    survey = survey_in(world.project, state=state, reminder_days=[1])
    InvitationFactory(survey=survey, sent_at=sent_days_ago(10))
    assert survey_reminders_send() == 0
    assert OutboundEmail.objects.count() == 0


def test_a_reminder_is_in_the_invitees_language(open_survey):
    invitation = InvitationFactory(survey=open_survey, sent_at=sent_days_ago(14), language="en")
    survey_reminders_send()
    email = OutboundEmail.objects.get(key=f"survey-reminder:{invitation.pk}:1")
    assert open_survey.title_en in email.subject and open_survey.title not in email.subject


def test_the_beat_schedule_runs_the_task_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["surveys.survey-reminders"]
    assert entry["task"] == "surveys.tasks.survey_reminders"
    assert entry["schedule"].hour == {8} and entry["schedule"].minute == {0}
    assert tasks.survey_reminders.name == entry["task"]
