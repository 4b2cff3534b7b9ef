"""Reads of the action plan: lists, the KPI (SPEC §7.3), who may update an action."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from projects.models import WorkArea
from trygga_platser.tenancy.access import ProjectAccess
from trygga_platser.tenancy.models import Project

from ..models import Action


@dataclass(frozen=True)
class CategoryKpi:
    category: str
    label: str
    total: int
    done_or_started: int

    @property
    def percent(self) -> int:
        return round(100 * self.done_or_started / self.total) if self.total else 0


@dataclass(frozen=True)
class ActionKpi:
    """Cancelled actions are left out of the share: they are neither done nor still to do."""

    total: int = 0
    planned: int = 0
    in_progress: int = 0
    done: int = 0
    cancelled: int = 0
    overdue: int = 0
    by_category: list[CategoryKpi] = field(default_factory=list)

    @property
    def counted(self) -> int:
        return self.total - self.cancelled

    @property
    def done_or_started(self) -> int:
        return self.done + self.in_progress

    @property
    def share_done_or_started(self) -> float | None:
        return self.done_or_started / self.counted if self.counted else None

    @property
    def percent_done_or_started(self) -> int | None:
        share = self.share_done_or_started
        return None if share is None else round(100 * share)


def action_kpi(*, project: Project, today: date | None = None) -> ActionKpi:
    """The KPI in two queries, whatever the number of actions."""
    today = today or timezone.localdate()
    started = Q(status__in=[Action.Status.DONE, Action.Status.IN_PROGRESS])
    totals = Action.objects.filter(project=project).aggregate(
        total=Count("pk"),
        planned=Count("pk", filter=Q(status=Action.Status.PLANNED)),
        in_progress=Count("pk", filter=Q(status=Action.Status.IN_PROGRESS)),
        done=Count("pk", filter=Q(status=Action.Status.DONE)),
        cancelled=Count("pk", filter=Q(status=Action.Status.CANCELLED)),
        overdue=Count("pk", filter=Q(status__in=Action.OPEN_STATUSES, due_date__lt=today)),
    )
    rows = (
        Action.objects.filter(project=project).exclude(status=Action.Status.CANCELLED)
        .values("category").annotate(total=Count("pk"), started=Count("pk", filter=started)).order_by()
    )
    per = {row["category"]: row for row in rows}
    by_category = [CategoryKpi(value, str(label), per[value]["total"], per[value]["started"])
                   for value, label in WorkArea.choices if value in per]
    return ActionKpi(by_category=by_category, **totals)


def actions_for_project(*, project: Project) -> QuerySet[Action]:
    return (
        Action.objects.filter(project=project)
        .select_related("responsible", "goal", "joint_case")
        .prefetch_related("other_actors")
        .annotate(update_count=Count("updates", distinct=True))
        .order_by("number")
    )


def actions_for_responsible(*, project: Project, user) -> QuerySet[Action]:
    return actions_for_project(project=project).filter(responsible=user)


def action_can_update(*, user, access: ProjectAccess, action: Action) -> bool:
    """Editors update every action; a member only the actions they are responsible for (SPEC §7.2)."""
    if access.can_edit:
        return True
    return access.can_contribute and action.responsible_id == getattr(user, "pk", None)


def status_counts(actions) -> Counter:
    return Counter(a.status for a in actions)
