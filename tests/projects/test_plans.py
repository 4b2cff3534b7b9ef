"""Goals (SPEC §3.8), the joint case (§3.9) and the coaching log (step 4)."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from projects import evidence
from projects.models import CoachingEntry, Goal, JointCase
from projects.selectors import plans as selectors
from projects.selectors.plans import (
    ACTION_PLAN_NOT_CONNECTED,
    NO_OUTCOME_YET,
    SURVEY_NO_VALUE,
    SURVEY_NOT_CONNECTED,
    GoalState,
    goal_status,
    register_indicator,
)
from projects.services import plans as services
from projects.services.plans import (
    ACTION_PLAN_UNIT,
    CASE_DATES_OUT_OF_ORDER,
    COACHING_DATE_IN_FUTURE,
    DUE_BEFORE_START,
    INDICATOR_KEY_UNKNOWN,
    NOT_A_NUMBER,
    OUTCOME_ONLY_MANUAL,
    SHARE_OUT_OF_RANGE,
    SHORT_TERM_TOO_LATE,
    TARGET_REQUIRED,
)
from trygga_platser.audit.models import AuditEntry

from .factories_partnership import ActorFactory, CoachingEntryFactory, GoalFactory, JointCaseFactory

pytestmark = pytest.mark.django_db

# world.project starts on 12 January 2026 (tests/factories.py): short-term goals are due by 12 January 2027.
DEADLINE = date(2027, 1, 12)


def url(name: str, project, **kwargs) -> str:
    return reverse(f"projects:{name}", kwargs={"project_id": project.pk, **kwargs})


def field_errors(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


def goal_form(**overrides) -> dict:
    return {
        "horizon": "short", "title": "Tryggare kvällar på torget", "indicator": "Andel som känner sig trygga på kvällen",
        "source": "manual", "comparison": "gte", "target_value": "70", "unit": "%", "baseline_value": "52",
        "outcome_value": "", "due_date": "2026-12-15", "note": "Mäts med trygghetsenkäten i november.", **overrides,
    }


@pytest.fixture
def providers(monkeypatch):
    """Providers registered in a test replace the real ones only for that test."""
    from projects.selectors import plans

    monkeypatch.setattr(plans, "_PROVIDERS", dict(plans._PROVIDERS))
    yield register_indicator


# ------------------------------------------------------------------------------------------------
# The goals page and who sees what
# ------------------------------------------------------------------------------------------------
def test_county_board_sees_goals_and_case_without_personal_data_or_free_text(world, client_for):
    # Given a goal with a note, and a case with an actor, a description and a follow-up
    GoalFactory(project=world.project, title="Tryggare kvällar", note="Kalle på Ica mäter själv")
    actor = ActorFactory(project=world.project, name="Torghuset AB", category="fastighetsagare")
    case = JointCaseFactory(project=world.project, title="Ljusfest på torget", description="Hemlig beskrivning",
                            follow_up="Hemlig uppföljning")
    case.actors.add(actor)
    CoachingEntryFactory(project=world.project, author=world.coach, topic="Samtal om Kalle")
    # When a county board officer opens the goals page
    response = client_for(world.county_officer).get(url("goals", world.project))
    html = response.content.decode()
    # Then it opens, with the goal and the case, their targets and status
    assert response.status_code == 200
    assert "Tryggare kvällar" in html and "Ljusfest på torget" in html
    assert "Fastighetsägare: 1" in html or "Property owner: 1" in html
    # But not the organisation's name, the free text, or the coaching log
    for secret in ("Torghuset AB", "Kalle på Ica", "Hemlig beskrivning", "Hemlig uppföljning", "Samtal om Kalle",
                   url("coaching", world.project)):
        assert secret not in html, secret


def test_members_see_the_notes_and_the_link_to_the_coaching_log(world, client_for):
    GoalFactory(project=world.project, note="Mäts i november")
    actor = ActorFactory(project=world.project, name="Torghuset AB")
    JointCaseFactory(project=world.project, follow_up="Fler besökare").actors.add(actor)
    response = client_for(world.member).get(url("goals", world.project))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Mäts i november", "Torghuset AB", "Fler besökare", url("coaching", world.project)):
        assert text in html, text
    # And no edit controls for a member
    assert url("goal_create", world.project) not in html


def test_goals_page_is_not_found_outside_the_project(world, client_for):
    assert client_for(world.outsider).get(url("goals", world.project)).status_code == 404
    assert client_for(world.other_county_officer).get(url("goals", world.project)).status_code == 404


# ------------------------------------------------------------------------------------------------
# Writing goals
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["member", "project_viewer", "org_member", "county_officer"])
def test_only_editors_write_goals(world, client_for, who):
    goal = GoalFactory(project=world.project, title="Före")
    client = client_for(getattr(world, who))
    assert client.get(url("goal_create", world.project)).status_code == 403
    assert client.post(url("goal_create", world.project), goal_form()).status_code == 403
    assert client.post(url("goal_edit", world.project, goal_id=goal.pk), goal_form(title="Efter")).status_code == 403
    assert client.post(url("goal_delete", world.project, goal_id=goal.pk)).status_code == 403
    assert list(Goal.objects.values_list("title", flat=True)) == ["Före"]


def test_coach_adds_a_goal_with_a_decimal_comma(world, client_for):
    response = client_for(world.coach).post(url("goal_create", world.project), goal_form(target_value="72,5"))
    goal = Goal.objects.get(project=world.project)
    assert response.status_code == 302
    assert response["Location"] == url("goals", world.project) + f"#goal-{goal.pk}"
    assert goal.target_value == Decimal("72.5") and goal.baseline_value == Decimal("52")
    assert goal.due_date == date(2026, 12, 15)
    entry = AuditEntry.objects.get(action="goal.created")
    assert entry.actor == world.coach and entry.target_id == str(goal.pk)


def test_editing_a_goal_records_the_change(world, client_for):
    goal = GoalFactory(project=world.project, target_value=70)
    client_for(world.project_coordinator).post(url("goal_edit", world.project, goal_id=goal.pk),
                                               goal_form(target_value="75", outcome_value="71"))
    goal.refresh_from_db()
    assert goal.target_value == Decimal("75") and goal.outcome_value == Decimal("71")
    assert AuditEntry.objects.get(action="goal.updated").changes["target_value"] == ["70.00", "75"]


def test_removing_a_goal(world, client_for):
    goal = GoalFactory(project=world.project)
    assert client_for(world.coach).post(url("goal_delete", world.project, goal_id=goal.pk)).status_code == 302
    assert not Goal.objects.exists()
    assert AuditEntry.objects.filter(action="goal.removed", target_id=str(goal.pk)).exists()


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"target_value": "sjuttio"}, "target_value", NOT_A_NUMBER),
    ({"target_value": ""}, "target_value", TARGET_REQUIRED),
    ({"target_value": "120"}, "target_value", SHARE_OUT_OF_RANGE),
    ({"target_value": "-5"}, "target_value", SHARE_OUT_OF_RANGE),
    ({"baseline_value": "101"}, "baseline_value", SHARE_OUT_OF_RANGE),
    ({"outcome_value": "100,5"}, "outcome_value", SHARE_OUT_OF_RANGE),
    ({"source": "survey", "outcome_value": "60"}, "outcome_value", OUTCOME_ONLY_MANUAL),
    ({"source": "action_plan", "unit": "st"}, "unit", ACTION_PLAN_UNIT),
])
def test_goal_validation_names_the_problem_and_stores_nothing(world, client_for, overrides, field, message):
    response = client_for(world.coach).post(url("goal_create", world.project), goal_form(**overrides))
    assert response.status_code == 200
    assert str(message) in field_errors(response, field)
    assert not Goal.objects.exists()
    assert not AuditEntry.objects.filter(action="goal.created").exists()


def test_a_count_may_exceed_100_when_the_unit_is_not_a_share(world, client_for):
    response = client_for(world.coach).post(url("goal_create", world.project), goal_form(
        unit="anmälningar", comparison="lte", target_value="150", baseline_value="230"))
    assert response.status_code == 302
    assert Goal.objects.get().target_value == Decimal("150")


def test_short_term_goal_due_after_twelve_months_is_refused(world, client_for):
    # Given the project started on 12 January 2026
    client = client_for(world.coach)
    # When a short-term goal is due a day after 12 January 2027
    response = client.post(url("goal_create", world.project), goal_form(due_date="2027-01-13"))
    # Then the form refuses it and says by when, or to make it long-term
    assert response.status_code == 200
    assert field_errors(response, "due_date") == [str(SHORT_TERM_TOO_LATE) % {"date": date_format(DEADLINE, "j F Y")}]
    assert not Goal.objects.exists()
    # But on the deadline itself it is fine, and a long-term goal may be due later
    assert client.post(url("goal_create", world.project), goal_form(due_date="2027-01-12")).status_code == 302
    assert client.post(url("goal_create", world.project),
                       goal_form(horizon="long", due_date="2028-06-30", title="Långsiktigt")).status_code == 302
    assert Goal.objects.count() == 2


def test_due_date_before_the_project_start_is_refused(world, client_for):
    response = client_for(world.coach).post(url("goal_create", world.project), goal_form(horizon="long", due_date="2025-12-31"))
    assert field_errors(response, "due_date") == [
        str(DUE_BEFORE_START) % {"date": date_format(world.project.start_date, "j F Y")}]
    assert not Goal.objects.exists()


def test_the_service_refuses_what_is_not_a_number_whoever_calls_it(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.goal_create(user=world.coach, project=world.project, horizon="long", title="Mål",
                             indicator="Andel", target_value="NaN")
    assert exc.value.message_dict["target_value"] == [str(NOT_A_NUMBER)]
    assert not Goal.objects.exists()


# ------------------------------------------------------------------------------------------------
# Goal status
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("comparison", "target", "outcome", "state"), [
    ("gte", "70", "70", GoalState.REACHED),
    ("gte", "70", "75.5", GoalState.REACHED),
    ("gte", "70", "69.99", GoalState.NOT_REACHED),
    ("lte", "20", "20", GoalState.REACHED),
    ("lte", "20", "12", GoalState.REACHED),
    ("lte", "20", "20.01", GoalState.NOT_REACHED),
])
def test_manual_goal_status_follows_the_comparison(world, comparison, target, outcome, state):
    goal = GoalFactory(project=world.project, comparison=comparison, target_value=Decimal(target),
                       outcome_value=Decimal(outcome))
    status = goal_status(project=world.project, goal=goal)
    assert status.state == state
    assert status.value == Decimal(outcome)


def test_manual_goal_without_an_outcome_is_not_yet_measured(world):
    status = goal_status(project=world.project, goal=GoalFactory(project=world.project))
    assert (status.state, status.value, status.explanation) == (GoalState.NOT_MEASURED, None, str(NO_OUTCOME_YET))


def test_survey_and_action_plan_goals_are_not_measured_until_a_provider_exists(world, client_for, monkeypatch):
    # Given goals measured elsewhere, and no app that measures them yet (the action plan registers one)
    monkeypatch.setattr("projects.selectors.plans._PROVIDERS", {})
    survey_goal = GoalFactory(project=world.project, source=Goal.Source.SURVEY, title="Enkätmål")
    plan_goal = GoalFactory(project=world.project, source=Goal.Source.ACTION_PLAN, horizon="long", title="Planmål",
                            target_value=50)
    # Then each is "not yet measured" with the reason, and no number
    assert goal_status(project=world.project, goal=survey_goal).explanation == str(SURVEY_NOT_CONNECTED)
    assert goal_status(project=world.project, goal=plan_goal).explanation == str(ACTION_PLAN_NOT_CONNECTED)
    response = client_for(world.county_officer).get(url("goals", world.project))
    statuses = response.context["goals"].all
    assert [s.state for s in statuses] == [GoalState.NOT_MEASURED, GoalState.NOT_MEASURED]
    assert all(s.value is None for s in statuses)
    assert str(SURVEY_NOT_CONNECTED) in response.content.decode()


def test_a_registered_provider_measures_survey_goals(world, client_for, providers):
    # Given a survey goal "at least 70 % feel safe in the evening"
    goal = GoalFactory(project=world.project, source=Goal.Source.SURVEY, indicator_key="safe_evening",
                       target_value=70)
    calls = []

    def survey_value(project, g):
        calls.append((project.pk, g.indicator_key))
        return Decimal("72.5")

    # When the survey app registers its provider
    providers("survey", survey_value)
    # Then the goal is reached, with the measured value shown on the page
    response = client_for(world.member).get(url("goals", world.project))
    [status] = response.context["goals"].short
    assert (status.state, status.value) == (GoalState.REACHED, Decimal("72.5"))
    assert calls == [(world.project.pk, "safe_evening")]
    assert "72,50 %" in response.content.decode() or "72.50 %" in response.content.decode()
    # When the provider has no value (no responses yet), Then it is not yet measured, saying why
    providers("survey", lambda project, g: None)
    status = goal_status(project=world.project, goal=goal)
    assert (status.state, status.explanation) == (GoalState.NOT_MEASURED, str(SURVEY_NO_VALUE))
    # And a value below target is not reached (a provider may answer with a float)
    providers("survey", lambda project, g: 64.2)
    assert goal_status(project=world.project, goal=goal).state == GoalState.NOT_REACHED


def test_an_action_plan_provider_measures_action_plan_goals(world, providers):
    goal = GoalFactory(project=world.project, source=Goal.Source.ACTION_PLAN, target_value=50)
    providers("action_plan", lambda project, g: Decimal("55"))
    assert goal_status(project=world.project, goal=goal).state == GoalState.REACHED


def test_manual_goals_take_no_provider():
    with pytest.raises(ValueError):
        register_indicator("manual", lambda project, goal: Decimal(1))


def test_provider_keys_offer_survey_indicators_in_the_form(world, client_for, providers):
    # Given the survey app offers its indicators
    providers("survey", lambda project, goal: None,
              keys=lambda project: [("safe_evening", "Trygg på kvällen"), ("avoid", "Undviker platser")])
    client = client_for(world.coach)
    # Then the form lets the editor choose one
    form = client.get(url("goal_create", world.project)).context["form"]
    assert [key for key, _label in form.fields["indicator_key"].choices] == ["", "safe_evening", "avoid"]
    # And a survey goal must name one of them
    response = client.post(url("goal_create", world.project), goal_form(source="survey", indicator_key=""))
    assert str(INDICATOR_KEY_UNKNOWN) in field_errors(response, "indicator_key")
    assert client.post(url("goal_create", world.project),
                       goal_form(source="survey", indicator_key="safe_evening")).status_code == 302
    assert Goal.objects.get().indicator_key == "safe_evening"


# ------------------------------------------------------------------------------------------------
# The joint case
# ------------------------------------------------------------------------------------------------
def case_form(**overrides) -> dict:
    return {"title": "Ljusfest på torget", "description": "Fastighetsägarna lyser upp fasaderna.", "status": "planned",
            "start_date": "2026-09-01", "end_date": "2026-10-31", "follow_up": "", **overrides}


def test_coach_starts_a_joint_case_with_the_project_actors(world, client_for):
    first = ActorFactory(project=world.project, name="Torghuset AB")
    second = ActorFactory(project=world.project, name="Centrumföreningen", category="centrumorganisation")
    response = client_for(world.coach).post(url("case_create", world.project),
                                            case_form(actors=[first.pk, second.pk]))
    case = JointCase.objects.get(project=world.project)
    assert response.status_code == 302
    assert set(case.actors.all()) == {first, second}
    assert AuditEntry.objects.filter(action="case.created", target_id=str(case.pk)).exists()
    # And it shows on the goals page
    assert "Ljusfest på torget" in client_for(world.member).get(url("goals", world.project)).content.decode()


def test_joint_case_refuses_other_projects_actors_and_reversed_dates(world, client_for):
    foreign = ActorFactory(project=world.other_project)
    client = client_for(world.coach)
    response = client.post(url("case_create", world.project), case_form(actors=[foreign.pk]))
    assert response.status_code == 200 and field_errors(response, "actors")
    response = client.post(url("case_create", world.project), case_form(start_date="2026-10-01", end_date="2026-09-01"))
    assert field_errors(response, "end_date") == [str(CASE_DATES_OUT_OF_ORDER)]
    response = client.post(url("case_create", world.project), case_form(title=""))
    assert field_errors(response, "title")
    assert not JointCase.objects.exists()


def test_joint_case_is_followed_up_and_removed(world, client_for):
    actor = ActorFactory(project=world.project, name="Torghuset AB")
    case = JointCaseFactory(project=world.project, title="Ljusfest")
    client = client_for(world.project_coordinator)
    response = client.post(url("case_edit", world.project, case_id=case.pk), case_form(
        title="Ljusfest", status="done", follow_up="200 besökare, fasadbelysningen blir kvar.", actors=[actor.pk]))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "done" and list(case.actors.all()) == [actor]
    changes = AuditEntry.objects.get(action="case.updated").changes
    assert changes["status"] == ["planned", "done"] and changes["actors"] == [[], ["Torghuset AB"]]
    assert client.post(url("case_delete", world.project, case_id=case.pk)).status_code == 302
    assert not JointCase.objects.exists()


def test_members_cannot_write_the_joint_case(world, client_for):
    case = JointCaseFactory(project=world.project, title="Före")
    client = client_for(world.member)
    assert client.post(url("case_create", world.project), case_form()).status_code == 403
    assert client.post(url("case_edit", world.project, case_id=case.pk), case_form(title="Efter")).status_code == 403
    assert list(JointCase.objects.values_list("title", flat=True)) == ["Före"]


# ------------------------------------------------------------------------------------------------
# The coaching log
# ------------------------------------------------------------------------------------------------
def entry_form(**overrides) -> dict:
    return {"date": "2026-03-02", "topic": "Styrgruppens första möte", "notes": "Vi gick igenom rollerna.",
            "next_steps": "Boka workshop i april.", **overrides}


@pytest.mark.parametrize("who", ["county_officer", "other_county_officer", "outsider"])
def test_coaching_log_is_closed_to_county_boards(world, client_for, who):
    CoachingEntryFactory(project=world.project, author=world.coach)
    expected = 403 if who == "county_officer" else 404
    assert client_for(getattr(world, who)).get(url("coaching", world.project)).status_code == expected


def test_members_read_the_log_newest_first(world, client_for):
    CoachingEntryFactory(project=world.project, author=world.coach, date=date(2026, 2, 1), topic="Äldst")
    CoachingEntryFactory(project=world.project, author=world.coach, date=date(2026, 4, 1), topic="Nyast")
    CoachingEntryFactory(project=world.project, author=world.coach, date=date(2026, 3, 1), topic="Mitten")
    CoachingEntryFactory(project=world.other_project, topic="Annan kommun")
    response = client_for(world.member).get(url("coaching", world.project))
    assert response.status_code == 200
    assert [e.topic for e in response.context["entries"]] == ["Nyast", "Mitten", "Äldst"]
    html = response.content.decode()
    assert html.index("Nyast") < html.index("Mitten") < html.index("Äldst")
    assert "Annan kommun" not in html
    assert url("coaching_create", world.project) not in html


def test_coach_writes_and_edits_own_entries(world, client_for):
    client = client_for(world.coach)
    response = client.post(url("coaching_create", world.project), entry_form())
    entry = CoachingEntry.objects.get(project=world.project)
    assert response.status_code == 302 and entry.author == world.coach
    # The coach sees an edit link on their entry, and edits it
    assert url("coaching_edit", world.project, entry_id=entry.pk) in client.get(url("coaching", world.project)).content.decode()
    response = client.post(url("coaching_edit", world.project, entry_id=entry.pk), entry_form(topic="Rollerna"))
    entry.refresh_from_db()
    assert response.status_code == 302 and entry.topic == "Rollerna"
    # The audit trail records the change but not the log's text
    assert list(AuditEntry.objects.filter(target_type="projects.coachingentry").order_by("pk").values_list(
        "action", flat=True)) == ["coaching.created", "coaching.updated"]
    assert "Vi gick igenom" not in str(AuditEntry.objects.get(action="coaching.updated").changes)


def test_nobody_edits_someone_elses_entry(world, client_for):
    # Given the coach's entry
    entry = CoachingEntryFactory(project=world.project, author=world.coach, topic="Coachens")
    # When a coordinator tries to change or remove it
    client = client_for(world.project_coordinator)
    assert url("coaching_edit", world.project, entry_id=entry.pk) not in client.get(url("coaching", world.project)).content.decode()
    assert client.get(url("coaching_edit", world.project, entry_id=entry.pk)).status_code == 403
    assert client.post(url("coaching_edit", world.project, entry_id=entry.pk), entry_form(topic="Ändrad")).status_code == 403
    assert client.post(url("coaching_delete", world.project, entry_id=entry.pk)).status_code == 403
    # Then it is unchanged
    entry.refresh_from_db()
    assert entry.topic == "Coachens"
    # But the coach removes their own
    assert client_for(world.coach).post(url("coaching_delete", world.project, entry_id=entry.pk)).status_code == 302
    assert not CoachingEntry.objects.exists()


def test_members_do_not_write_the_log(world, client_for):
    assert client_for(world.member).post(url("coaching_create", world.project), entry_form()).status_code == 403
    assert not CoachingEntry.objects.exists()


def test_log_entry_needs_notes_and_a_date_not_in_the_future(world, client_for):
    client = client_for(world.coach)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(url("coaching_create", world.project), entry_form(date=tomorrow))
    assert field_errors(response, "date") == [str(COACHING_DATE_IN_FUTURE)]
    response = client.post(url("coaching_create", world.project), entry_form(notes=""))
    assert field_errors(response, "notes")
    assert not CoachingEntry.objects.exists()


# ------------------------------------------------------------------------------------------------
# Evidence
# ------------------------------------------------------------------------------------------------
def test_goals_evidence_is_done_with_a_short_and_a_long_term_goal(world):
    assert evidence.is_registered("goals")
    GoalFactory(project=world.project, horizon="short")
    [link] = selectors.goals_evidence(world.project)
    assert not link.done and link.url == url("goals", world.project)
    GoalFactory(project=world.project, horizon="long")
    assert selectors.goals_evidence(world.project)[0].done


def test_joint_case_evidence_links_each_case_and_is_done_when_the_case_is(world):
    assert evidence.is_registered("joint_case")
    assert selectors.joint_case_evidence(world.project) == []
    planned = JointCaseFactory(project=world.project, title="Ljusfest", status="planned")
    done = JointCaseFactory(project=world.project, title="Städdag", status="done")
    links = evidence.evidence_for(project=world.project, kinds={"joint_case"})["joint_case"]
    assert [(link.url, link.done) for link in links] == [
        (url("goals", world.project) + f"#case-{planned.pk}", False),
        (url("goals", world.project) + f"#case-{done.pk}", True)]


def test_coaching_evidence_is_done_once_the_log_has_an_entry(world):
    assert evidence.is_registered("coaching")
    [link] = selectors.coaching_evidence(world.project)
    assert not link.done and link.url == url("coaching", world.project)
    CoachingEntryFactory(project=world.project)
    assert selectors.coaching_evidence(world.project)[0].done
