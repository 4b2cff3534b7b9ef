"""Reads of goals (SPEC §3.8), the joint case (§3.9) and the coaching log (step 4), and the registry
through which other apps measure goals.

Goal indicators
---------------
A goal followed up by hand is measured by its `outcome_value`. A goal measured by a survey indicator
or by the action plan gets its value from the app that owns those data. This app does not import
them (ARCHITECTURE.md: dependencies point one way); instead they register a provider from their
AppConfig.ready()::

    from projects.selectors.plans import register_indicator
    register_indicator("action_plan", lambda project, goal: share_done_or_started(project=project))
    register_indicator("survey", survey_goal_value, keys=survey_indicator_choices)

`fn(project, goal)` returns the measured value in the goal's unit (a Decimal; int and float are
accepted) or None when there is nothing to measure yet (no responses, no actions). It is called once
per goal on the goals page, so a provider that queries should keep that to a query or two. `keys`
(optional) returns the indicator choices `[(key, label), …]` for a project; the goal form then lets
the editor pick one, stored in `Goal.indicator_key` for the provider to read.

Until a provider is registered, such a goal is "not yet measured" with an explanation, never a
made-up number.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Callable

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from trygga_platser.tenancy.models import Project, StakeholderCategory

from .. import evidence
from ..evidence import EvidenceLink
from ..models import Actor, CoachingEntry, Goal, JointCase
from .partnership import partnership_evidence

IndicatorFn = Callable[[Project, Goal], "Decimal | int | float | None"]
IndicatorKeysFn = Callable[[Project], "list[tuple[str, str]]"]


@dataclass(frozen=True)
class IndicatorProvider:
    source: str
    fn: IndicatorFn
    keys: IndicatorKeysFn | None = None


_PROVIDERS: dict[str, IndicatorProvider] = {}
MEASURED_ELSEWHERE = (Goal.Source.SURVEY, Goal.Source.ACTION_PLAN)


def register_indicator(source: str, fn: IndicatorFn, *, keys: IndicatorKeysFn | None = None) -> None:
    """Let another app measure goals of `source` ("survey" or "action_plan"); see the module doc."""
    if source not in MEASURED_ELSEWHERE:
        raise ValueError(f"Goals of source {source!r} are not measured by a provider.")
    _PROVIDERS[source] = IndicatorProvider(source=source, fn=fn, keys=keys)


def unregister_indicator(source: str) -> None:
    _PROVIDERS.pop(source, None)


def indicator_provider(source: str) -> IndicatorProvider | None:
    return _PROVIDERS.get(source)


def indicator_key_choices(*, project: Project, source: str) -> list[tuple[str, str]]:
    provider = _PROVIDERS.get(source)
    return list(provider.keys(project)) if provider and provider.keys else []


# ------------------------------------------------------------------------------------------------
# Goal status
# ------------------------------------------------------------------------------------------------
class GoalState:
    REACHED = "reached"
    NOT_REACHED = "not_reached"
    NOT_MEASURED = "not_measured"

    LABELS = {
        REACHED: gettext_lazy("Reached"),
        NOT_REACHED: gettext_lazy("Not reached"),
        NOT_MEASURED: gettext_lazy("Not yet measured"),
    }


NO_OUTCOME_YET = gettext_lazy("No outcome has been entered yet.")
SURVEY_NOT_CONNECTED = gettext_lazy(
    "This goal is measured by a survey indicator. Surveys are not yet connected to the goals, so "
    "there is no value to show yet."
)
ACTION_PLAN_NOT_CONNECTED = gettext_lazy(
    "This goal is measured by the action plan. The action plan is not yet connected to the goals, so "
    "there is no value to show yet."
)
SURVEY_NO_VALUE = gettext_lazy("The survey has no result for this indicator yet.")
ACTION_PLAN_NO_VALUE = gettext_lazy("The action plan has no actions to measure yet.")


@dataclass(frozen=True)
class GoalStatus:
    goal: Goal
    state: str
    value: Decimal | None = None
    explanation: str = ""

    @property
    def label(self) -> str:
        return str(GoalState.LABELS[self.state])

    @property
    def is_reached(self) -> bool:
        return self.state == GoalState.REACHED

    @property
    def is_measured(self) -> bool:
        return self.state != GoalState.NOT_MEASURED


def _as_decimal(value) -> Decimal | None:
    if value is None:
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise TypeError(f"An indicator provider returned {value!r}, not a number.") from None


def goal_status(*, project: Project, goal: Goal) -> GoalStatus:
    """Reached, not reached or not yet measured, with the measured value and why there is none."""
    if goal.source == Goal.Source.MANUAL:
        value, missing = goal.outcome_value, NO_OUTCOME_YET
    else:
        provider = _PROVIDERS.get(goal.source)
        if provider is None:
            not_connected = SURVEY_NOT_CONNECTED if goal.source == Goal.Source.SURVEY else ACTION_PLAN_NOT_CONNECTED
            return GoalStatus(goal=goal, state=GoalState.NOT_MEASURED, explanation=str(not_connected))
        value = _as_decimal(provider.fn(project, goal))
        missing = SURVEY_NO_VALUE if goal.source == Goal.Source.SURVEY else ACTION_PLAN_NO_VALUE
    if value is None:
        return GoalStatus(goal=goal, state=GoalState.NOT_MEASURED, explanation=str(missing))
    if goal.comparison == Goal.Comparison.AT_MOST:
        reached = value <= goal.target_value
    else:
        reached = value >= goal.target_value
    return GoalStatus(goal=goal, state=GoalState.REACHED if reached else GoalState.NOT_REACHED, value=value)


@dataclass
class GoalsByHorizon:
    short: list[GoalStatus] = field(default_factory=list)
    long: list[GoalStatus] = field(default_factory=list)

    @property
    def all(self) -> list[GoalStatus]:
        return self.short + self.long

    def count(self, state: str) -> int:
        return sum(1 for s in self.all if s.state == state)

    @property
    def reached(self) -> int:
        return self.count(GoalState.REACHED)


def goals_with_status(*, project: Project) -> GoalsByHorizon:
    """Every goal with its status, short-term first; one query plus what the providers ask."""
    result = GoalsByHorizon()
    for goal in Goal.objects.filter(project=project).order_by("due_date", "pk"):
        status = goal_status(project=project, goal=goal)
        (result.short if goal.horizon == Goal.Horizon.SHORT else result.long).append(status)
    return result


# ------------------------------------------------------------------------------------------------
# The joint case and the coaching log
# ------------------------------------------------------------------------------------------------
def joint_cases(*, project: Project) -> list[JointCase]:
    """The cases with their actors (one prefetch), and per case the actors' categories counted, which
    is what a county board sees instead of the organisations' names."""
    cases = list(JointCase.objects.filter(project=project).prefetch_related(
        Prefetch("actors", queryset=Actor.objects.order_by("name"))))
    labels = dict(StakeholderCategory.choices)
    for case in cases:
        counts: dict[str, int] = {}
        for actor in case.actors.all():
            counts[actor.category] = counts.get(actor.category, 0) + 1
        case.actor_categories = [(str(labels[value]), counts[value])
                                 for value, _label in StakeholderCategory.choices if value in counts]
    return cases


def coaching_entries(*, project: Project) -> QuerySet[CoachingEntry]:
    """Newest first, with their authors."""
    return CoachingEntry.objects.filter(project=project).select_related("author").order_by("-date", "-pk")


def coaching_entry_count(*, project: Project) -> int:
    return CoachingEntry.objects.filter(project=project).count()


# ------------------------------------------------------------------------------------------------
# Evidence (SPEC §3): the step pages link to the goals, the cases and the coaching log
# ------------------------------------------------------------------------------------------------
def goals_evidence(project: Project) -> list[EvidenceLink]:
    """Done when at least one short-term and one long-term goal exist."""
    counts = Goal.objects.filter(project=project).aggregate(
        short=Count("pk", filter=Q(horizon=Goal.Horizon.SHORT)), long=Count("pk", filter=Q(horizon=Goal.Horizon.LONG)))
    label = _("Goals: %(short)s and %(long)s") % {
        "short": ngettext("%(count)d short-term goal", "%(count)d short-term goals", counts["short"]) % {"count": counts["short"]},
        "long": ngettext("%(count)d long-term goal", "%(count)d long-term goals", counts["long"]) % {"count": counts["long"]},
    }
    return [EvidenceLink(label=label, url=reverse("projects:goals", kwargs={"project_id": project.pk}),
                         done=bool(counts["short"] and counts["long"]))]


def joint_case_evidence(project: Project) -> list[EvidenceLink]:
    """One link per case; a case is done when its status is done."""
    url = reverse("projects:goals", kwargs={"project_id": project.pk})
    return [
        EvidenceLink(label=_("Joint case: %(title)s (%(status)s)") % {"title": case.title,
                                                                     "status": case.get_status_display()},
                     url=f"{url}#case-{case.pk}", done=case.status == JointCase.Status.DONE)
        for case in JointCase.objects.filter(project=project).order_by("start_date", "pk")
    ]


def coaching_evidence(project: Project) -> list[EvidenceLink]:
    """The coaching log; it shows coaching took place once it has an entry."""
    count = coaching_entry_count(project=project)
    label = ngettext("Coaching log: %(count)d entry", "Coaching log: %(count)d entries", count) % {"count": count}
    return [EvidenceLink(personal=True, label=label, url=reverse("projects:coaching", kwargs={"project_id": project.pk}),
                         done=count > 0)]


def register_evidence_resolvers() -> None:
    """Called from ProjectsConfig.ready(); registering again is harmless (same keys)."""
    evidence.register("partnership", partnership_evidence)
    evidence.register("goals", goals_evidence)
    evidence.register("joint_case", joint_case_evidence)
    evidence.register("coaching", coaching_evidence)
