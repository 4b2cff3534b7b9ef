"""Steps and activities (SPEC §3): instantiate a variant, tick activities, complete steps."""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygga_platser.audit.services import audit_record
from trygga_platser.tenancy.models import Project

from ..models import Activity, Step, Variant

OVERRIDE_REASON_REQUIRED = gettext_lazy(
    "Required activities are not done. Give a reason to complete the step anyway; it is recorded."
)
DATES_OUT_OF_ORDER = gettext_lazy("The end date must be on or after the start date.")
STEP_ALREADY_COMPLETE = gettext_lazy("The step is already complete.")
EARLIER_STEP_OPEN = gettext_lazy("Complete the earlier steps first.")


class StepHasOpenActivities(ValidationError):
    def __init__(self, open_activities: list[Activity]):
        super().__init__(OVERRIDE_REASON_REQUIRED)
        self.open_activities = open_activities


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def plan_instantiate(*, project: Project, variant: Variant) -> list[Step]:
    """Create the project's steps and activities from a variant, spread over its duration.

    Each step gets its share of the days from the start date to the end of the variant's duration;
    the steps follow each other without gaps and the last one ends the day before the end.
    """
    if project.steps.exists():
        raise ValidationError(_("The project already has its steps."))
    end = add_months(project.start_date, variant.duration_months)
    total_days = (end - project.start_date).days
    variant_steps = list(variant.steps.prefetch_related("activities").order_by("number"))
    share_sum = sum((vs.share for vs in variant_steps), Decimal(0))
    steps: list[Step] = []
    cumulative = Decimal(0)
    step_start = project.start_date
    for index, vs in enumerate(variant_steps):
        cumulative += vs.share
        if index == len(variant_steps) - 1:
            boundary = end
        else:
            boundary = project.start_date + timedelta(days=int(round(total_days * cumulative / share_sum)))
        step_end = max(step_start, boundary - timedelta(days=1))
        steps.append(Step(project=project, number=vs.number, title=vs.title, title_en=vs.title_en,
                          description=vs.description, description_en=vs.description_en,
                          planned_start=step_start, planned_end=step_end))
        step_start = step_end + timedelta(days=1)
    Step.objects.bulk_create(steps)
    activities = [
        Activity(step=step, key=va.key, title=va.title, title_en=va.title_en, description=va.description,
                 description_en=va.description_en, required=va.required, evidence_kind=va.evidence_kind,
                 order=va.order)
        for step, vs in zip(steps, variant_steps)
        for va in vs.activities.all()
    ]
    Activity.objects.bulk_create(activities)
    return steps


def activity_set_done(*, user, activity: Activity, done: bool) -> Activity:
    if activity.is_done == done:
        return activity
    with transaction.atomic():
        activity.done_at = timezone.now() if done else None
        activity.done_by = user if done else None
        activity.save(update_fields=["done_at", "done_by"])
        project = activity.step.project
        summary = (_("Marked “%(activity)s” as done") if done else _("Marked “%(activity)s” as not done")) % {
            "activity": activity.title}
        audit_record(project=project, actor=user, action="activity.done" if done else "activity.undone",
                     summary=summary, target=activity)
    return activity


def activity_add(*, user, step: Step, title: str, description: str = "", required: bool = False,
                 due_date: date | None = None) -> Activity:
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the activity a title.")})
    with transaction.atomic():
        last = step.activities.order_by("-order").values_list("order", flat=True).first() or 0
        activity = Activity.objects.create(step=step, title=title, title_en="", description=description,
                                           required=required, due_date=due_date, order=last + 1)
        audit_record(project=step.project, actor=user, action="activity.added", target=activity,
                     summary=_("Added the activity “%(activity)s” to %(step)s") % {
                         "activity": title, "step": step.title})
    return activity


def activity_remove(*, user, activity: Activity) -> None:
    with transaction.atomic():
        step = activity.step
        audit_record(project=step.project, actor=user, action="activity.removed", target=activity,
                     summary=_("Removed the activity “%(activity)s” from %(step)s") % {
                         "activity": activity.title, "step": step.title})
        activity.delete()


def step_update_dates(*, user, step: Step, planned_start: date, planned_end: date) -> Step:
    if planned_end < planned_start:
        raise ValidationError({"planned_end": DATES_OUT_OF_ORDER})
    with transaction.atomic():
        changes = {k: (getattr(step, k), v) for k, v in
                   (("planned_start", planned_start), ("planned_end", planned_end)) if getattr(step, k) != v}
        if not changes:
            return step
        step.planned_start, step.planned_end = planned_start, planned_end
        step.save(update_fields=["planned_start", "planned_end"])
        audit_record(project=step.project, actor=user, action="step.dates", target=step, changes=changes,
                     summary=_("Moved the dates of %(step)s") % {"step": step.title})
    return step


def step_complete(*, user, step: Step, override_reason: str = "") -> Step:
    """Complete a step. With required activities open, a reason is needed and is recorded with
    the list of what was open, who completed it and when."""
    with transaction.atomic():
        step = Step.objects.select_for_update().select_related("project").get(pk=step.pk)
        if step.is_complete:
            raise ValidationError(STEP_ALREADY_COMPLETE)
        if Step.objects.filter(project=step.project, number__lt=step.number, completed_at__isnull=True).exists():
            raise ValidationError(EARLIER_STEP_OPEN)
        open_required = list(step.activities.filter(required=True, done_at__isnull=True))
        override_reason = override_reason.strip()
        if open_required and not override_reason:
            raise StepHasOpenActivities(open_required)
        step.completed_at = timezone.now()
        step.completed_by = user
        step.override_reason = override_reason if open_required else ""
        step.open_required_at_completion = [a.title for a in open_required]
        step.save(update_fields=["completed_at", "completed_by", "override_reason", "open_required_at_completion"])
        if open_required:
            summary = _("Completed %(step)s with %(count)d required activities open. Reason: %(reason)s") % {
                "step": step.title, "count": len(open_required), "reason": override_reason}
        else:
            summary = _("Completed %(step)s") % {"step": step.title}
        audit_record(project=step.project, actor=user, action="step.completed", target=step, summary=summary,
                     changes={"open_required": (None, step.open_required_at_completion)} if open_required else None)
        project = step.project
        if not Step.objects.filter(project=project, completed_at__isnull=True).exists():
            project.status = Project.Status.COMPLETED
            project.save(update_fields=["status", "updated_at"])
        elif project.status == Project.Status.PLANNED:
            project.status = Project.Status.ACTIVE
            project.save(update_fields=["status", "updated_at"])
    return step


def step_reopen(*, user, step: Step) -> Step:
    """Undo a completion (a coordinator's correction); later steps must be open."""
    with transaction.atomic():
        if Step.objects.filter(project=step.project, number__gt=step.number, completed_at__isnull=False).exists():
            raise ValidationError(_("Reopen the later steps first."))
        step.completed_at = None
        step.completed_by = None
        step.override_reason = ""
        step.open_required_at_completion = []
        step.save(update_fields=["completed_at", "completed_by", "override_reason", "open_required_at_completion"])
        audit_record(project=step.project, actor=user, action="step.reopened", target=step,
                     summary=_("Reopened %(step)s") % {"step": step.title})
        if step.project.status == Project.Status.COMPLETED:
            step.project.status = Project.Status.ACTIVE
            step.project.save(update_fields=["status", "updated_at"])
    return step
