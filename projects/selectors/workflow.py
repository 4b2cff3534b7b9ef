"""Reads of the five-step plan: progress, the current step, behind or on track (SPEC §3)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from trygga_platser.reports.svg import TimelineRow, timeline_svg
from trygga_platser.tenancy.models import Project

from ..models import Activity, Meeting, Step, Variant

def _month_labels() -> list[str]:
    from django.utils.dates import MONTHS_3

    return [str(MONTHS_3[i]).capitalize() for i in range(1, 13)]


@dataclass
class StepProgress:
    step: Step
    activities: list[Activity]
    is_current: bool = False
    today: date = field(default_factory=timezone.localdate)

    @property
    def done(self) -> int:
        return sum(1 for a in self.activities if a.is_done)

    @property
    def total(self) -> int:
        return len(self.activities)

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else (1.0 if self.step.is_complete else 0.0)

    @property
    def percent(self) -> int:
        return round(self.share * 100)

    @property
    def is_behind(self) -> bool:
        return self.step.is_behind(self.today)

    @property
    def open_required(self) -> list[Activity]:
        return [a for a in self.activities if a.required and not a.is_done]

    @property
    def state(self) -> str:
        if self.step.is_complete:
            return "complete"
        if self.is_behind:
            return "behind"
        return "current" if self.is_current else "upcoming"


@dataclass
class Plan:
    project: Project
    steps: list[StepProgress]
    today: date

    @property
    def current(self) -> StepProgress | None:
        return next((s for s in self.steps if s.is_current), None)

    @property
    def done(self) -> int:
        return sum(s.done for s in self.steps)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.steps)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def behind(self) -> list[StepProgress]:
        return [s for s in self.steps if s.is_behind]

    @property
    def on_track(self) -> bool:
        return not self.behind

    @property
    def is_finished(self) -> bool:
        return bool(self.steps) and all(s.step.is_complete for s in self.steps)


def project_plan(*, project: Project, today: date | None = None) -> Plan:
    """The steps with their activities in two queries. Exactly one step is current: the first that
    is not complete, or the last one once all are complete."""
    today = today or timezone.localdate()
    steps = list(
        Step.objects.filter(project=project).order_by("number").prefetch_related(
            Prefetch("activities", queryset=Activity.objects.select_related("meeting").order_by("order", "pk"))
        )
    )
    progress = [StepProgress(step=s, activities=list(s.activities.all()), today=today) for s in steps]
    current = next((p for p in progress if not p.step.is_complete), progress[-1] if progress else None)
    if current is not None:
        current.is_current = True
    return Plan(project=project, steps=progress, today=today)


def plan_timeline_svg(*, plan: Plan, svg_id: str = "timeline", width: int = 760) -> str:
    rows = [TimelineRow(label=s.step.display_title, start=s.step.planned_start, end=s.step.planned_end,
                        progress=s.share, state=s.state) for s in plan.steps]
    parts = []
    for s in plan.steps:
        state = {"complete": _("complete"), "behind": _("behind schedule"), "current": _("current step"),
                 "upcoming": _("upcoming")}[s.state]
        parts.append(_("%(step)s: %(start)s to %(end)s, %(percent)s %% of activities done, %(state)s") % {
            "step": s.step.display_title, "start": s.step.planned_start.isoformat(),
            "end": s.step.planned_end.isoformat(), "percent": s.percent, "state": state})
    description = "; ".join(parts) + ". " + _("Today is %(today)s.") % {"today": plan.today.isoformat()}
    return timeline_svg(rows=rows, today=plan.today, title=_("Timeline of the project's steps"),
                        description=description, today_label=_("Today"), month_labels=_month_labels(),
                        svg_id=svg_id, width=width)


@dataclass(frozen=True)
class DueItem:
    when: date
    label: str
    url: str
    kind: str  # "activity", "meeting" or "step"


def project_next_due(*, project: Project, plan: Plan, limit: int = 6) -> list[DueItem]:
    """What comes next: open activities with a due date, planned meetings and the current step's end."""
    from django.urls import NoReverseMatch, reverse

    items: list[DueItem] = []
    for sp in plan.steps:
        for activity in sp.activities:
            if not activity.is_done and activity.due_date:
                items.append(DueItem(activity.due_date, activity.display_title,
                                     reverse("projects:step", kwargs={"project_id": project.pk, "step_id": sp.step.pk}),
                                     "activity"))
    if plan.current and not plan.current.step.is_complete:
        step = plan.current.step
        items.append(DueItem(step.planned_end, _("%(step)s is planned to end") % {"step": step.display_title},
                             reverse("projects:step", kwargs={"project_id": project.pk, "step_id": step.pk}), "step"))
    now = timezone.now()
    for meeting in Meeting.objects.filter(project=project, status=Meeting.Status.PLANNED, starts_at__gte=now).order_by(
            "starts_at")[:limit]:
        try:
            url = reverse("projects:meeting", kwargs={"project_id": project.pk, "meeting_id": meeting.pk})
        except NoReverseMatch:
            url = ""
        items.append(DueItem(timezone.localtime(meeting.starts_at).date(), meeting.title, url, "meeting"))
    items.sort(key=lambda item: item.when)
    return items[:limit]


def variant_title(slug: str) -> str:
    variant = Variant.objects.filter(slug=slug).first()
    return variant.display_title if variant else slug


def variant_titles() -> dict[str, str]:
    return {v.slug: v.display_title for v in Variant.objects.all()}
