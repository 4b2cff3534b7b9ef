"""The demo surveys (SPEC §13, issue #4): every pilot has a mapping and a safety survey with a few
hundred plausible responses, map answers inside the area, Sala's follow-up shows a significant
improvement, Avesta's invitations are partly answered and never linked to a response; idempotent."""
from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from django.utils import timezone
from shapely.geometry import Point, shape

from surveys.indicator import (
    AGE_KEY,
    AVOID_MAP_KEY,
    AVOIDS_KEY,
    CATEGORY_KEY,
    GENDER_KEY,
    IMPROVE_KEY,
    OUTSIDE_BASE_VALUES,
    PROBLEMS_KEY,
    SAFE_DAY_KEY,
    SAFE_EVENING_KEY,
    UNSAFE_VALUES,
)
from surveys.models import Answer, Invitation, Response, Survey
from surveys.selectors.comparison import survey_comparison
from surveys.selectors.results import survey_indicator
from trygga_platser.notifications.models import OutboundEmail
from trygga_platser.tenancy.demo import seed_all
from trygga_platser.tenancy.models import Project

pytestmark = pytest.mark.django_db

PILOTS = ("Avesta kommun", "Falu kommun", "Hallstahammars kommun", "Sala kommun")


def project(municipality: str) -> Project:
    return Project.objects.get(municipality__name=municipality)


def survey(municipality: str, kind: str) -> Survey:
    return Survey.objects.get(project__municipality__name=municipality, kind=kind)


def evening_share(*answer_sets) -> float:
    """The indicator's share over one or more querysets of answers to SAFE_EVENING_KEY."""
    values = [v for answers in answer_sets for v in answers.values_list("option__value", flat=True)
              if v not in OUTSIDE_BASE_VALUES]
    return sum(v in UNSAFE_VALUES for v in values) / len(values)


def respondents(s: Survey, key: str, values: str | list[str]):
    values = [values] if isinstance(values, str) else values
    return Answer.objects.filter(question__survey=s, question__key=key, option__value__in=values).values("response_id")


def test_every_pilot_has_a_published_mapping_and_safety_survey_with_a_few_hundred_responses(demo_db):
    for name in PILOTS:
        for kind in (Survey.Kind.MAPPING, Survey.Kind.SAFETY):
            s = survey(name, kind)
            # then it is published, with dates inside the project's steps, and well answered
            assert s.published_at is not None and s.opens_on <= s.closes_on, (name, kind)
            assert 200 <= s.responses.count() <= 450, (name, kind)
            days = set(s.responses.values_list("submitted_on", flat=True))
            assert min(days) >= s.opens_on and max(days) <= min(s.closes_on, timezone.localdate())
            step = s.project.steps.get(number=1 if kind == Survey.Kind.MAPPING else 2)
            assert step.planned_start <= s.opens_on and s.closes_on <= step.planned_end


def test_ludvika_outside_the_programme_has_only_a_small_mapping_survey(demo_db):
    surveys = Survey.objects.filter(project=project("Ludvika kommun"))
    assert set(surveys.values_list("kind", flat=True)) == {Survey.Kind.MAPPING}
    assert 0 < surveys.get().responses.count() < 100


def test_avestas_partnership_survey_is_answered_by_members_only(demo_db):
    s = survey("Avesta kommun", Survey.Kind.PARTNERSHIP)
    assert 5 <= s.responses.count() <= 30
    assert not s.responses.filter(respondent_category__in=["boende", "besokare"]).exists()


def test_map_answers_lie_inside_the_project_area(demo_db):
    answers = Answer.objects.exclude(geometry=None).select_related("question__survey__project")
    assert answers.count() > 1000
    areas = {p.pk: shape(p.area) for p in Project.objects.all()}
    kinds = Counter()
    for answer in answers:
        area = areas[answer.question.survey.project_id]
        kinds[answer.geometry["type"]] += 1
        assert area.contains(Point(answer.lon, answer.lat))
        assert area.contains(shape(answer.geometry))
    # mostly points, some routes and areas
    assert kinds["Point"] > kinds["LineString"] > 0 and kinds["Polygon"] > 0


def test_safety_indicator_is_plausible_evening_much_less_safe_than_daytime(demo_db):
    for name in PILOTS:
        s = survey(name, Survey.Kind.SAFETY)
        indicator = survey_indicator(survey=s)
        assert 0.30 <= indicator.share <= 0.45, name
        day = Answer.objects.filter(question__survey=s, question__key=SAFE_DAY_KEY).exclude(option__value="dk")
        assert evening_share(day) < indicator.share / 2, name


def test_women_and_older_respondents_feel_less_safe_in_the_evening(demo_db):
    older, younger = [], []
    for name in PILOTS:
        s = survey(name, Survey.Kind.SAFETY)
        evening = Answer.objects.filter(question__survey=s, question__key=SAFE_EVENING_KEY)
        women = evening_share(evening.filter(response__in=respondents(s, GENDER_KEY, "woman")))
        men = evening_share(evening.filter(response__in=respondents(s, GENDER_KEY, "man")))
        assert women > men + 0.1, name
        older.append(evening.filter(response__in=respondents(s, AGE_KEY, ["65_79", "80_plus"])))
        younger.append(evening.filter(response__in=respondents(s, AGE_KEY, ["16_24", "25_44"])))
    # over the four pilots (the groups are small in each)
    assert evening_share(*older) > evening_share(*younger) + 0.05


def test_problems_led_by_lighting_groups_and_litter_and_at_most_three_improvements(demo_db):
    for name in PILOTS:
        s = survey(name, Survey.Kind.SAFETY)
        problems = Counter(Answer.objects.filter(question__survey=s, question__key=PROBLEMS_KEY)
                           .values_list("option__value", flat=True))
        assert {v for v, _n in problems.most_common(3)} == {"poor_lighting", "groups", "litter"}, name
        chosen = Counter(Answer.objects.filter(question__survey=s, question__key=IMPROVE_KEY)
                         .values_list("response_id", flat=True))
        assert max(chosen.values()) <= 3, name


def test_display_conditions_hold_and_the_category_is_copied(demo_db):
    for name in PILOTS:
        s = survey(name, Survey.Kind.SAFETY)
        avoided = set(Answer.objects.filter(question__survey=s, question__key=AVOID_MAP_KEY)
                      .values_list("response_id", flat=True))
        avoiding = set(Answer.objects.filter(question__survey=s, question__key=AVOIDS_KEY,
                                             option__value__in=["yes_often", "yes_sometimes"])
                       .values_list("response_id", flat=True))
        assert avoided and avoided <= avoiding, name
        answered = dict(Answer.objects.filter(question__survey=s, question__key=CATEGORY_KEY)
                        .values_list("response_id", "option__value"))
        for response_id, category in s.responses.values_list("id", "respondent_category"):
            assert answered[response_id] == category
        categories = Counter(answered.values())
        # mostly residents and visitors, some businesses
        assert categories["boende"] + categories["besokare"] > 0.6 * len(answered)
        assert categories["naringsidkare"] > 0


def test_salas_follow_up_shows_a_significant_improvement(demo_db):
    baseline, followup = survey("Sala kommun", Survey.Kind.SAFETY), survey("Sala kommun", Survey.Kind.FOLLOWUP)
    assert followup.baseline == baseline
    # the follow-up asks the same questions, so they can be matched
    assert set(followup.questions.values_list("key", flat=True)) == set(baseline.questions.values_list("key", flat=True))
    assert followup.responses.count() >= 200
    change = survey_comparison(survey=followup).indicator
    assert change.diff < -0.08 and change.significant
    assert followup.opens_on >= baseline.closes_on


def test_avestas_invitations_are_partly_answered_and_never_linked_to_a_response(demo_db):
    s = survey("Avesta kommun", Survey.Kind.SAFETY)
    invitations = list(Invitation.objects.filter(survey=s))
    emails = {i.email for i in invitations}
    assert {"polis@avesta.example", "fastighetsagare@avesta.example"} <= emails
    assert len(emails - {"polis@avesta.example", "fastighetsagare@avesta.example"}) >= 10
    assert all(e.endswith((".example", ".example.se")) for e in emails)
    assert all(i.sent_at is not None for i in invitations)
    answered = [i for i in invitations if i.used_on]
    unanswered = [i for i in invitations if not i.used_on]
    assert answered and unanswered
    assert any(i.reminders_sent for i in unanswered) and any(i.reminders_sent for i in answered)
    # every used invitation has an anonymous response of its category on that day
    needed = Counter((i.category, i.used_on) for i in answered)
    have = Counter(s.responses.values_list("respondent_category", "submitted_on"))
    for key, count in needed.items():
        assert have[key] >= count, key
    # no relation from a response to an invitation, and no e-mail was queued for the demo
    assert not [f for f in Response._meta.get_fields() if getattr(f, "related_model", None) is Invitation]
    assert not OutboundEmail.objects.filter(to__in=emails).exists()


def test_seeding_again_creates_nothing_new(demo_db):
    def counts():
        per_survey = defaultdict(int)
        for survey_id in Response.objects.values_list("survey_id", flat=True):
            per_survey[survey_id] += 1
        return (Survey.objects.count(), Response.objects.count(), Answer.objects.count(),
                Invitation.objects.count(), dict(per_survey))

    before = counts()
    seed_all()
    assert counts() == before


def test_hallstahammar_safety_survey_is_open_until_its_step_ends(demo_db):
    # The demo shows a live survey until the step's planned end; after that date it closes like the rest.
    survey = Survey.objects.get(project__municipality__name="Hallstahammars kommun", kind=Survey.Kind.SAFETY)
    step_end = survey.project.steps.get(number=2).planned_end
    assert survey.closes_on == step_end
    if timezone.localdate() <= step_end:
        assert survey.state() == Survey.State.OPEN
