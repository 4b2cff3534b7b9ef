"""Steps and activities (SPEC §3): the plan, ticking activities with htmx, completing steps."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from trygga_platser.audit.selectors import audit_entries_for_project
from trygga_platser.tenancy.access import Perm, project_child_get, project_get_for_user

from ..evidence import evidence_for
from ..forms.workflow import ActivityForm, StepCompleteForm, StepDatesForm
from ..models import Activity, Step
from ..selectors.workflow import plan_timeline_svg, project_plan
from ..services.workflow import (
    StepHasOpenActivities,
    activity_add,
    activity_remove,
    activity_set_done,
    step_complete,
    step_reopen,
    step_update_dates,
)


@login_required
@require_GET
def steps_overview(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.VIEW)
    plan = project_plan(project=project)
    return render(request, "projects/workflow/steps.html",
                  {"project": project, "plan": plan, "timeline": plan_timeline_svg(plan=plan)})


def _step_context(request: HttpRequest, project, step: Step, **extra) -> dict:
    plan = project_plan(project=project)
    progress = next(sp for sp in plan.steps if sp.step.pk == step.pk)
    kinds = {a.evidence_kind for a in progress.activities if a.evidence_kind}
    return {
        "project": project,
        "plan": plan,
        "sp": progress,
        "step": progress.step,
        "evidence": evidence_for(project=project, kinds=kinds),
        "complete_form": extra.pop("complete_form", None) or StepCompleteForm(),
        "dates_form": extra.pop("dates_form", None) or StepDatesForm(
            initial={"planned_start": step.planned_start, "planned_end": step.planned_end}),
        "activity_form": extra.pop("activity_form", None) or ActivityForm(),
        **extra,
    }


@login_required
@require_GET
def step_detail(request: HttpRequest, project_id: int, step_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.VIEW)
    step = project_child_get(Step, project=project, pk=step_id)
    return render(request, "projects/workflow/step.html", _step_context(request, project, step))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def activity_toggle(request: HttpRequest, project_id: int, activity_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.EDIT)
    activity = project_child_get(Activity.objects.select_related("step"), project=project, pk=activity_id,
                                 project_field="step__project")
    activity_set_done(user=request.user, activity=activity, done=request.POST.get("done") == "1")
    if request.htmx:
        context = _step_context(request, project, activity.step)
        activity = next(a for a in context["sp"].activities if a.pk == activity.pk)
        return render(request, "projects/workflow/step.html#activity-toggled", {**context, "activity": activity})
    return redirect("projects:step", project_id=project.pk, step_id=activity.step_id)


@login_required
@require_POST
def step_complete_view(request: HttpRequest, project_id: int, step_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.MANAGE)
    step = project_child_get(Step, project=project, pk=step_id)
    form = StepCompleteForm(request.POST)
    if form.is_valid():
        try:
            step_complete(user=request.user, step=step, override_reason=form.cleaned_data["override_reason"])
        except StepHasOpenActivities as exc:
            form.add_error("override_reason", exc)
            context = _step_context(request, project, step, complete_form=form, show_override=True,
                                    open_activities=exc.open_activities)
            return render(request, "projects/workflow/step.html", context, status=422)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(step)s is complete.") % {"step": step.display_title})
            return redirect("projects:steps", project_id=project.pk)
    return redirect("projects:step", project_id=project.pk, step_id=step.pk)


@login_required
@require_POST
def step_reopen_view(request: HttpRequest, project_id: int, step_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.MANAGE)
    step = project_child_get(Step, project=project, pk=step_id)
    try:
        step_reopen(user=request.user, step=step)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(step)s is open again.") % {"step": step.display_title})
    return redirect("projects:step", project_id=project.pk, step_id=step.pk)


@login_required
@require_POST
def step_dates(request: HttpRequest, project_id: int, step_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.MANAGE)
    step = project_child_get(Step, project=project, pk=step_id)
    form = StepDatesForm(request.POST)
    if form.is_valid():
        try:
            step_update_dates(user=request.user, step=step, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The dates were saved."))
            return redirect("projects:step", project_id=project.pk, step_id=step.pk)
    return render(request, "projects/workflow/step.html", _step_context(request, project, step, dates_form=form),
                  status=422)


@login_required
@require_POST
def activity_add_view(request: HttpRequest, project_id: int, step_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.MANAGE)
    step = project_child_get(Step, project=project, pk=step_id)
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            activity_add(user=request.user, step=step, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The activity was added."))
            return redirect("projects:step", project_id=project.pk, step_id=step.pk)
    return render(request, "projects/workflow/step.html",
                  _step_context(request, project, step, activity_form=form), status=422)


@login_required
@require_POST
def activity_remove_view(request: HttpRequest, project_id: int, activity_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.MANAGE)
    activity = project_child_get(Activity.objects.select_related("step"), project=project, pk=activity_id,
                                 project_field="step__project")
    step_id = activity.step_id
    activity_remove(user=request.user, activity=activity)
    messages.success(request, _("The activity was removed."))
    return redirect("projects:step", project_id=project.pk, step_id=step_id)


@login_required
@require_GET
def audit_log(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.MANAGE)
    return render(request, "projects/workflow/audit.html",
                  {"project": project, "entries": audit_entries_for_project(project=project, limit=300)})
