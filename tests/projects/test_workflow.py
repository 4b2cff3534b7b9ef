"""The five steps (SPEC §3): variants instantiated, activities ticked, steps completed with rules."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects.models import Activity, Variant
from projects.selectors.workflow import project_plan
from projects.services.workflow import (
    EARLIER_STEP_OPEN,
    StepHasOpenActivities,
    activity_set_done,
    add_months,
    plan_instantiate,
    step_complete,
)
from trygga_platser.audit.models import AuditEntry
from trygga_platser.tenancy.models import Project

from ..factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(world):
    plan_instantiate(project=world.project, variant=Variant.objects.get(slug="instegsmodell"))
    return world


@pytest.mark.parametrize(("slug", "months", "counts"), [
    ("instegsmodell", 12, [3, 4, 5, 5, 4]),
    ("fullskalig", 24, [4, 4, 5, 5, 8]),
])
def test_variant_becomes_five_contiguous_steps_with_activities(slug, months, counts):
    # Given a project starting on 2 March 2026
    project = ProjectFactory(start_date=date(2026, 3, 2), variant=slug)
    # When the variant is instantiated
    steps = plan_instantiate(project=project, variant=Variant.objects.get(slug=slug))
    # Then five steps cover the duration without gaps or overlaps
    steps = list(project.steps.order_by("number"))
    assert [s.number for s in steps] == [1, 2, 3, 4, 5]
    assert steps[0].planned_start == date(2026, 3, 2)
    assert steps[-1].planned_end == add_months(date(2026, 3, 2), months) - timedelta(days=1)
    for before, after in zip(steps, steps[1:]):
        assert after.planned_start == before.planned_end + timedelta(days=1)
    assert [s.activities.count() for s in steps] == counts
    assert steps[0].title == "Steg 1 – Uppstart av nuläge" and steps[0].title_en.startswith("Step 1")


def test_full_scale_variant_has_partnership_analysis_at_start_and_end_and_follow_ups():
    project = ProjectFactory(variant="fullskalig")
    plan_instantiate(project=project, variant=Variant.objects.get(slug="fullskalig"))
    keys = set(Activity.objects.filter(step__project=project).values_list("key", flat=True))
    assert {"samverkansanalys_start", "samverkansanalys_slut", "uppfoljande_trygghetsenkat",
            "uppfoljande_besiktning", "uppfoljningsperiod"} <= keys


def test_step_shares_follow_the_variant():
    project = ProjectFactory(start_date=date(2027, 1, 1))
    plan_instantiate(project=project, variant=Variant.objects.get(slug="instegsmodell"))
    lengths = [(s.planned_end - s.planned_start).days + 1 for s in project.steps.order_by("number")]
    assert sum(lengths) == 365
    # Boundaries at 15/35/55/85 % of 365 days: 54.75→55, 127.75→128, 200.75→201, 310.25→310, 365.
    assert lengths == [55, 73, 73, 109, 55]


def test_exactly_one_step_is_current_and_progress_counts_activities(planned):
    plan = project_plan(project=planned.project, today=date(2026, 1, 20))
    assert [sp.is_current for sp in plan.steps] == [True, False, False, False, False]
    first = plan.steps[0]
    activity_set_done(user=planned.project_coordinator, activity=first.activities[0], done=True)
    plan = project_plan(project=planned.project, today=date(2026, 1, 20))
    assert (plan.steps[0].done, plan.steps[0].total) == (1, 3)
    assert plan.done == 1 and plan.total == 21 and plan.percent == 5


def test_a_step_past_its_end_is_behind(planned):
    step = planned.project.steps.get(number=1)
    plan = project_plan(project=planned.project, today=step.planned_end + timedelta(days=1))
    assert plan.steps[0].is_behind and not plan.on_track
    assert not project_plan(project=planned.project, today=step.planned_end).steps[0].is_behind


def test_completing_with_open_required_activities_needs_a_reason_and_records_it(planned):
    step = planned.project.steps.get(number=1)
    with pytest.raises(StepHasOpenActivities) as raised:
        step_complete(user=planned.project_coordinator, step=step)
    assert len(raised.value.open_activities) == 3
    step.refresh_from_db()
    assert step.completed_at is None
    # When a reason is given, the completion is recorded with who, why and what was open
    step_complete(user=planned.project_coordinator, step=step, override_reason="Workshopen flyttad till steg 2")
    step.refresh_from_db()
    assert step.completed_by == planned.project_coordinator
    assert step.override_reason == "Workshopen flyttad till steg 2"
    assert len(step.open_required_at_completion) == 3
    entry = AuditEntry.objects.get(action="step.completed")
    assert "Workshopen flyttad" in entry.summary and entry.actor == planned.project_coordinator


def test_completing_with_everything_done_needs_no_reason(planned):
    step = planned.project.steps.get(number=1)
    for activity in step.activities.all():
        activity_set_done(user=planned.project_coordinator, activity=activity, done=True)
    step_complete(user=planned.project_coordinator, step=step)
    step.refresh_from_db()
    assert step.completed_at and not step.override_reason
    plan = project_plan(project=planned.project)
    assert plan.current.step.number == 2


def test_steps_complete_in_order(planned):
    with pytest.raises(ValidationError) as raised:
        step_complete(user=planned.project_coordinator, step=planned.project.steps.get(number=2), override_reason="x")
    assert raised.value.messages == [str(EARLIER_STEP_OPEN)]


def test_completing_the_last_step_completes_the_project(planned):
    for step in planned.project.steps.order_by("number"):
        step_complete(user=planned.project_coordinator, step=step, override_reason="Demo")
    planned.project.refresh_from_db()
    assert planned.project.status == Project.Status.COMPLETED
    assert project_plan(project=planned.project).current.step.number == 5


# --- views -----------------------------------------------------------------------------------------

def _toggle(client, project, activity, done="1", **extra):
    return client.post(reverse("projects:activity_toggle", kwargs={"project_id": project.pk, "activity_id": activity.pk}),
                       {"done": done}, **extra)


@pytest.mark.parametrize(("who", "status"), [
    ("project_coordinator", 302), ("coach", 302), ("org_coordinator", 302),
    ("member", 403), ("project_viewer", 403), ("county_officer", 403), ("org_member", 403),
])
def test_who_may_tick_activities(planned, client_for, who, status):
    activity = Activity.objects.filter(step__project=planned.project).first()
    response = _toggle(client_for(getattr(planned, who)), planned.project, activity)
    assert response.status_code == status
    activity.refresh_from_db()
    assert activity.is_done == (status == 302)


def test_ticking_with_htmx_returns_the_row_and_the_progress(planned, client_for):
    activity = Activity.objects.filter(step__project=planned.project, step__number=1).first()
    response = _toggle(client_for(planned.project_coordinator), planned.project, activity, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="activity-{activity.pk}"' in html and 'aria-pressed="true"' in html
    assert 'id="step-progress" hx-swap-oob="innerHTML"' in html and "1 av 3" in html or "1 of 3" in html
    assert "<html" not in html


@pytest.mark.parametrize(("who", "status"), [("project_coordinator", 302), ("coach", 403), ("member", 403),
                                             ("county_officer", 403)])
def test_only_coordinators_complete_steps(planned, client_for, who, status):
    step = planned.project.steps.get(number=1)
    url = reverse("projects:step_complete", kwargs={"project_id": planned.project.pk, "step_id": step.pk})
    response = client_for(getattr(planned, who)).post(url, {"override_reason": "Klart nog"})
    assert response.status_code == status
    step.refresh_from_db()
    assert bool(step.completed_at) == (status == 302)


def test_completing_without_reason_shows_the_open_activities(planned, client_for):
    step = planned.project.steps.get(number=1)
    url = reverse("projects:step_complete", kwargs={"project_id": planned.project.pk, "step_id": step.pk})
    response = client_for(planned.project_coordinator).post(url, {"override_reason": ""})
    assert response.status_code == 422
    assert response.context["complete_form"].errors["override_reason"]
    assert len(response.context["open_activities"]) == 3
    step.refresh_from_db()
    assert step.completed_at is None


def test_coordinator_moves_dates_and_adds_and_removes_activities(planned, client_for):
    client = client_for(planned.project_coordinator)
    step = planned.project.steps.get(number=2)
    base = {"project_id": planned.project.pk, "step_id": step.pk}
    bad = client.post(reverse("projects:step_dates", kwargs=base), {"planned_start": "2026-05-10",
                                                                     "planned_end": "2026-05-01"})
    assert bad.status_code == 422
    ok = client.post(reverse("projects:step_dates", kwargs=base), {"planned_start": "2026-04-01",
                                                                    "planned_end": "2026-06-30"})
    assert ok.status_code == 302
    step.refresh_from_db()
    assert (step.planned_start, step.planned_end) == (date(2026, 4, 1), date(2026, 6, 30))
    client.post(reverse("projects:activity_add", kwargs=base), {"title": "Möte med centrumföreningen",
                                                                 "required": "on"})
    added = step.activities.get(title="Möte med centrumföreningen")
    assert added.required
    client.post(reverse("projects:activity_remove", kwargs={"project_id": planned.project.pk,
                                                            "activity_id": added.pk}))
    assert not step.activities.filter(pk=added.pk).exists()
    actions = list(AuditEntry.objects.filter(project=planned.project).values_list("action", flat=True))
    assert {"step.dates", "activity.added", "activity.removed"} <= set(actions)


def test_county_board_reads_steps_but_cannot_change_them(planned, client_for):
    client = client_for(planned.county_officer)
    step = planned.project.steps.get(number=1)
    assert client.get(reverse("projects:steps", kwargs={"project_id": planned.project.pk})).status_code == 200
    page = client.get(reverse("projects:step", kwargs={"project_id": planned.project.pk, "step_id": step.pk}))
    assert page.status_code == 200 and "activity_toggle" not in page.content.decode()
    assert client.post(reverse("projects:step_dates", kwargs={"project_id": planned.project.pk, "step_id": step.pk}),
                       {"planned_start": "2026-01-01", "planned_end": "2026-02-01"}).status_code == 403


def test_audit_log_is_for_coordinators(planned, client_for):
    url = reverse("projects:audit", kwargs={"project_id": planned.project.pk})
    activity_set_done(user=planned.coach, activity=Activity.objects.filter(step__project=planned.project).first(),
                      done=True)
    page = client_for(planned.project_coordinator).get(url)
    assert page.status_code == 200 and planned.coach.full_name in page.content.decode()
    assert client_for(planned.coach).get(url).status_code == 403
    assert client_for(planned.county_officer).get(url).status_code == 403


def test_timeline_svg_has_text_alternative_and_today_marker(planned, client_for):
    html = client_for(planned.member).get(reverse("projects:steps", kwargs={"project_id": planned.project.pk})).content.decode()
    assert 'class="timeline"' in html and 'aria-labelledby="timeline-title timeline-desc"' in html
    assert "stroke-dasharray" in html or planned.project.start_date > date.today()


def test_county_board_sees_evidence_labels_without_links_to_personal_pages(planned, client_for):
    # Given a workshop held for step 1
    from projects.models import Meeting
    from django.utils import timezone as tz

    start = tz.now() - timedelta(days=3)
    meeting = Meeting.objects.create(project=planned.project, kind=Meeting.Kind.WORKSHOP, title="Uppstartsmöte",
                                     starts_at=start, ends_at=start + timedelta(hours=2), status=Meeting.Status.HELD)
    step = planned.project.steps.get(number=1)
    url = reverse("projects:step", kwargs={"project_id": planned.project.pk, "step_id": step.pk})
    meeting_url = reverse("projects:meeting", kwargs={"project_id": planned.project.pk, "meeting_id": meeting.pk})
    # Then a member is linked to the meeting, and a county board officer sees only its title
    assert meeting_url in client_for(planned.member).get(url).content.decode()
    officer_page = client_for(planned.county_officer).get(url).content.decode()
    assert "Uppstartsmöte" in officer_page and meeting_url not in officer_page


def test_project_home_query_count_does_not_grow_with_activities_and_meetings(planned, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone as tz

    from projects.models import Meeting
    from projects.services.workflow import activity_add

    url = reverse("projects:detail", kwargs={"project_id": planned.project.pk})
    client = client_for(planned.project_coordinator)

    def add(n: int) -> None:
        step = planned.project.steps.get(number=1)
        for i in range(n):
            activity_add(user=planned.project_coordinator, step=step, title=f"Extra {i}", due_date=date(2027, 1, i + 1))
            start = tz.now() + timedelta(days=i + 1)
            Meeting.objects.create(project=planned.project, kind=Meeting.Kind.WORKSHOP, title=f"Möte {i}",
                                   starts_at=start, ends_at=start + timedelta(hours=1))

    add(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(12)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["plan"].total == 21 + 14
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
