"""Writes of goals (SPEC §3.8), the joint case (§3.9) and the coaching log (step 4).

Each function takes objects already resolved through `tenancy.access` with Perm.EDIT, validates,
saves and records an audit entry in one transaction (ARCHITECTURE.md, habit 2).
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygga_platser.audit.services import audit_record, changed_fields
from trygga_platser.tenancy.models import Project

from ..models import Actor, CoachingEntry, Goal, JointCase
from ..selectors.plans import indicator_key_choices
from .partnership import _strip, _validate
from .workflow import add_months

SHORT_TERM_MONTHS = 12  # SPEC §3.8: short-term goals are reached within 12 months

TARGET_REQUIRED = gettext_lazy("Give the target as a number.")
NOT_A_NUMBER = gettext_lazy("Enter a number, e.g. 70 or 12,5.")
SHARE_OUT_OF_RANGE = gettext_lazy("A share in per cent must be between 0 and 100.")
SHORT_TERM_TOO_LATE = gettext_lazy(
    "A short-term goal is reached within 12 months of the project start, that is by %(date)s. "
    "Choose an earlier date, or make it a long-term goal."
)
DUE_BEFORE_START = gettext_lazy("The date is before the project starts (%(date)s).")
OUTCOME_ONLY_MANUAL = gettext_lazy(
    "Enter an outcome only for goals followed up by hand; the others get their value from the survey "
    "or the action plan."
)
ACTION_PLAN_UNIT = gettext_lazy("A goal measured by the action plan is a share of the actions, in per cent (unit %).")
INDICATOR_KEY_UNKNOWN = gettext_lazy("Choose one of the indicators offered.")
CASE_DATES_OUT_OF_ORDER = gettext_lazy("The end date must be on or after the start date.")
CASE_ACTOR_NOT_IN_PROJECT = gettext_lazy("Choose actors of this project's partnership.")
COACHING_DATE_IN_FUTURE = gettext_lazy("The log records coaching that has taken place; the date cannot be in the future.")

PERCENT_UNIT = "%"


def short_term_deadline(project: Project) -> date:
    return add_months(project.start_date, SHORT_TERM_MONTHS)


# ------------------------------------------------------------------------------------------------
# Goals
# ------------------------------------------------------------------------------------------------
GOAL_FIELDS = (
    "horizon", "title", "indicator", "source", "indicator_key", "comparison", "target_value", "unit",
    "baseline_value", "outcome_value", "due_date", "note",
)
NUMBER_FIELDS = ("target_value", "baseline_value", "outcome_value")


def _number(value: Any) -> Decimal | None:
    """A finite Decimal, None for empty; ValueError for anything that is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        value = str(value)
    try:
        number = Decimal(value.strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
                         if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number


def _goal_prepare(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list]]:
    """Strip the text, turn the numbers into Decimals; errors for what is not a number."""
    values = _strip(values)
    errors: dict[str, list] = {}
    for name in NUMBER_FIELDS:
        if name in values:
            try:
                values[name] = _number(values[name])
            except ValueError:
                errors[name] = [NOT_A_NUMBER]
                values[name] = None
    return values, errors


def _goal_errors(goal: Goal, project: Project, errors: dict[str, list]) -> dict[str, list]:
    errors = {k: list(v) for k, v in errors.items()}

    def add(name: str, error) -> None:
        errors.setdefault(name, []).append(error)

    if goal.target_value is None and "target_value" not in errors:
        add("target_value", TARGET_REQUIRED)
    if (goal.unit or "").strip() == PERCENT_UNIT:
        for name in NUMBER_FIELDS:
            value = getattr(goal, name)
            if value is not None and name not in errors and not (0 <= value <= 100):
                add(name, SHARE_OUT_OF_RANGE)
    if goal.source == Goal.Source.ACTION_PLAN and (goal.unit or "").strip() != PERCENT_UNIT:
        add("unit", ACTION_PLAN_UNIT)
    if goal.source != Goal.Source.MANUAL and goal.outcome_value is not None:
        add("outcome_value", OUTCOME_ONLY_MANUAL)
    if goal.due_date is not None:
        if goal.due_date < project.start_date:
            add("due_date", ValidationError(DUE_BEFORE_START, params={"date": date_format(project.start_date, "j F Y")}))
        elif goal.horizon == Goal.Horizon.SHORT and goal.due_date > short_term_deadline(project):
            add("due_date", ValidationError(SHORT_TERM_TOO_LATE, params={
                "date": date_format(short_term_deadline(project), "j F Y")}))
    keys = indicator_key_choices(project=project, source=goal.source)
    if keys and goal.indicator_key not in {key for key, _label in keys}:
        add("indicator_key", INDICATOR_KEY_UNKNOWN)
    if not keys and goal.source == Goal.Source.MANUAL:
        goal.indicator_key = ""
    return errors


def goal_create(*, user, project: Project, horizon: str, title: str, indicator: str, target_value: Any,
                source: str = Goal.Source.MANUAL, comparison: str = Goal.Comparison.AT_LEAST, unit: str = PERCENT_UNIT,
                baseline_value: Any = None, outcome_value: Any = None, due_date: date | None = None,
                note: str = "", indicator_key: str = "") -> Goal:
    values, errors = _goal_prepare({
        "horizon": horizon, "title": title, "indicator": indicator, "source": source, "indicator_key": indicator_key,
        "comparison": comparison, "target_value": target_value, "unit": unit, "baseline_value": baseline_value,
        "outcome_value": outcome_value, "due_date": due_date, "note": note,
    })
    with transaction.atomic():
        goal = Goal(project=project, **values)
        _validate(goal, exclude=("project",), errors=_goal_errors(goal, project, errors))
        goal.save()
        audit_record(project=project, actor=user, action="goal.created", target=goal,
                     summary=_("Set the %(horizon)s goal “%(title)s”") % {
                         "horizon": _horizon_word(goal), "title": goal.title})
    return goal


def _horizon_word(goal: Goal) -> str:
    return _("short-term") if goal.horizon == Goal.Horizon.SHORT else _("long-term")


def goal_update(*, user, goal: Goal, **changes: Any) -> Goal:
    unknown = set(changes) - set(GOAL_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    values, errors = _goal_prepare(changes)
    project = goal.project
    with transaction.atomic():
        diff = changed_fields(goal, values)
        for name, value in values.items():
            setattr(goal, name, value)
        _validate(goal, exclude=("project",), errors=_goal_errors(goal, project, errors))
        if diff:
            goal.save()
            audit_record(project=project, actor=user, action="goal.updated", target=goal, changes=diff,
                         summary=_("Changed the goal “%(title)s”") % {"title": goal.title})
    return goal


def goal_delete(*, user, goal: Goal) -> None:
    with transaction.atomic():
        audit_record(project=goal.project, actor=user, action="goal.removed", target=goal,
                     summary=_("Removed the goal “%(title)s”") % {"title": goal.title})
        goal.delete()


# ------------------------------------------------------------------------------------------------
# The joint case
# ------------------------------------------------------------------------------------------------
CASE_FIELDS = ("title", "description", "status", "start_date", "end_date", "follow_up")


def _case_save(*, case: JointCase, project: Project, actors: Iterable[Actor] | None) -> list[Actor] | None:
    errors: dict[str, list] = {}
    actor_list = list(actors) if actors is not None else None
    if actor_list is not None and any(a.project_id != project.pk for a in actor_list):
        errors["actors"] = [CASE_ACTOR_NOT_IN_PROJECT]
    if case.start_date and case.end_date and case.end_date < case.start_date:
        errors["end_date"] = [CASE_DATES_OUT_OF_ORDER]
    _validate(case, exclude=("project",), errors=errors)
    case.save()
    return actor_list


def joint_case_create(*, user, project: Project, title: str, description: str = "",
                      status: str = JointCase.Status.PLANNED, start_date: date | None = None,
                      end_date: date | None = None, follow_up: str = "", actors: Iterable[Actor] = ()) -> JointCase:
    with transaction.atomic():
        case = JointCase(project=project, **_strip({
            "title": title, "description": description, "status": status, "start_date": start_date,
            "end_date": end_date, "follow_up": follow_up}))
        actor_list = _case_save(case=case, project=project, actors=actors)
        case.actors.set(actor_list)
        audit_record(project=project, actor=user, action="case.created", target=case,
                     summary=_("Started the joint case “%(title)s”") % {"title": case.title},
                     changes={"actors": (None, sorted(a.name for a in actor_list))} if actor_list else None)
    return case


def joint_case_update(*, user, case: JointCase, actors: Iterable[Actor] | None = None, **changes: Any) -> JointCase:
    unknown = set(changes) - set(CASE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    changes = _strip(changes)
    project = case.project
    with transaction.atomic():
        diff = changed_fields(case, changes)
        for name, value in changes.items():
            setattr(case, name, value)
        actor_list = _case_save(case=case, project=project, actors=actors)
        if actor_list is not None:
            before = sorted(a.name for a in case.actors.all())
            after = sorted(a.name for a in actor_list)
            if before != after:
                case.actors.set(actor_list)
                diff["actors"] = (before, after)
        if diff:
            audit_record(project=project, actor=user, action="case.updated", target=case, changes=diff,
                         summary=_("Changed the joint case “%(title)s”") % {"title": case.title})
    return case


def joint_case_delete(*, user, case: JointCase) -> None:
    with transaction.atomic():
        audit_record(project=case.project, actor=user, action="case.removed", target=case,
                     summary=_("Removed the joint case “%(title)s”") % {"title": case.title})
        case.delete()


# ------------------------------------------------------------------------------------------------
# The coaching log
# ------------------------------------------------------------------------------------------------
ENTRY_FIELDS = ("date", "topic", "notes", "next_steps")


def _entry_errors(entry: CoachingEntry) -> dict[str, list]:
    if entry.date and entry.date > timezone.localdate():
        return {"date": [COACHING_DATE_IN_FUTURE]}
    return {}


def coaching_entry_create(*, user, project: Project, date: date, topic: str, notes: str,
                          next_steps: str = "") -> CoachingEntry:
    with transaction.atomic():
        entry = CoachingEntry(project=project, author=user, date=date,
                              **_strip({"topic": topic, "notes": notes, "next_steps": next_steps}))
        _validate(entry, exclude=("project", "author"), errors=_entry_errors(entry))
        entry.save()
        audit_record(project=project, actor=user, action="coaching.created", target=entry,
                     summary=_("Wrote a coaching log entry: “%(topic)s”") % {"topic": entry.topic})
    return entry


def _own(user, entry: CoachingEntry) -> None:
    # A log entry is its author's account of a coaching session: only they change it.
    if entry.author_id is None or entry.author_id != getattr(user, "pk", None):
        raise PermissionDenied


def coaching_entry_update(*, user, entry: CoachingEntry, **changes: Any) -> CoachingEntry:
    unknown = set(changes) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    _own(user, entry)
    changes = _strip(changes)
    with transaction.atomic():
        diff = changed_fields(entry, changes)
        for name, value in changes.items():
            setattr(entry, name, value)
        _validate(entry, exclude=("project", "author"), errors=_entry_errors(entry))
        if diff:
            entry.save()
            # The log's text is not copied into the audit trail, only which fields changed.
            audit_record(project=entry.project, actor=user, action="coaching.updated", target=entry,
                         changes={k: ("…", "…") if k in ("notes", "next_steps") else v for k, v in diff.items()},
                         summary=_("Changed the coaching log entry “%(topic)s”") % {"topic": entry.topic})
    return entry


def coaching_entry_delete(*, user, entry: CoachingEntry) -> None:
    _own(user, entry)
    with transaction.atomic():
        audit_record(project=entry.project, actor=user, action="coaching.removed", target=entry,
                     summary=_("Removed the coaching log entry “%(topic)s”") % {"topic": entry.topic})
        entry.delete()
