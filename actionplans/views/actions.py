"""Action plan pages (SPEC §7.2): the list with filters and the KPI, the board by status, an action
with its progress, creating and editing, and "my actions". Thin: parse a form, resolve access through
`tenancy.access`, call one service or selector, render. Every form works as a plain POST and
redirect; htmx only enhances the board."""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from analysis.selectors.inspections import point_finding
from projects.models import Observation, WorkArea
from surveys.selectors.findings import map_answer_finding
from trygga_platser.tenancy.access import Perm, project_child_get, project_get_for_user

from ..forms.actions import ActionForm, FilterForm, MoveForm, ProgressForm
from ..models import Action, ActionFinding, ActionUpdate
from ..selectors.actions import (
    action_can_update,
    action_kpi,
    actions_for_project,
    actions_for_responsible,
    status_counts,
)
from ..services import actions as services


def _project(request: HttpRequest, project_id: int, perm: Perm):
    return project_get_for_user(user=request.user, project_id=project_id, perm=perm)


def _action(project, action_id: int, queryset=None) -> Action:
    action = project_child_get(queryset if queryset is not None else Action.objects.select_related(
        "responsible", "goal", "joint_case"), project=project, pk=action_id)
    action.project = project  # the resolved project, carrying `.access`
    return action


def _add_errors(form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _action_url(action: Action, anchor: str = "") -> str:
    url = reverse("actionplans:action", kwargs={"project_id": action.project_id, "action_id": action.pk})
    return f"{url}#{anchor}" if anchor else url


def _filter(actions, form: FilterForm, today):
    if not form.is_valid():
        return actions
    data = form.cleaned_data
    if data["q"]:
        text = data["q"].strip()
        match = Q(title__icontains=text) | Q(description__icontains=text)
        code = text.upper().removeprefix("A")
        if code.isdigit():
            match |= Q(number=int(code))
        actions = actions.filter(match)
    if data["status"] == "open":
        actions = actions.filter(status__in=Action.OPEN_STATUSES)
    elif data["status"]:
        actions = actions.filter(status=data["status"])
    if data["category"]:
        actions = actions.filter(category=data["category"])
    if data.get("responsible"):
        actions = actions.filter(responsible=data["responsible"])
    if data["horizon"]:
        actions = actions.filter(horizon=data["horizon"])
    if data["overdue"]:
        actions = actions.filter(status__in=Action.OPEN_STATUSES, due_date__lt=today)
    return actions


@login_required
@require_GET
def action_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.VIEW)
    today = timezone.localdate()
    form = FilterForm(request.GET or None, project=project, with_people=project.access.can_view_personal)
    actions = list(_filter(actions_for_project(project=project), form, today))
    return render(request, "actionplans/action_list.html", {
        "project": project, "form": form, "actions": actions, "kpi": action_kpi(project=project, today=today),
        "filtered": form.is_bound, "today": today,
    })


BOARD_COLUMNS = list(Action.Status.choices)


def _board_context(request, project, actions) -> dict:
    access = project.access
    for action in actions:
        action.can_move = action_can_update(user=request.user, access=access, action=action)
    counts = status_counts(actions)
    columns = [{"status": value, "label": label, "count": counts.get(value, 0),
                "actions": [a for a in actions if a.status == value]} for value, label in BOARD_COLUMNS]
    return {"project": project, "columns": columns, "statuses": BOARD_COLUMNS, "today": timezone.localdate()}


@login_required
@require_GET
def action_board(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.VIEW)
    actions = list(actions_for_project(project=project))
    return render(request, "actionplans/action_board.html", _board_context(request, project, actions))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def action_move(request: HttpRequest, project_id: int, action_id: int) -> HttpResponse:
    """Move an action to another status (board, "my actions"): recorded as a progress update, so a
    member may move only their own actions and the history shows who moved it."""
    project = _project(request, project_id, Perm.CONTRIBUTE)
    action = _action(project, action_id)
    if not action_can_update(user=request.user, access=project.access, action=action):
        raise PermissionDenied
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        if request.htmx:  # an answer to swap into the card would be the wrong page: reload instead
            return HttpResponseClientRedirect(_back(form, action))
        return redirect(_back(form, action))
    status = form.cleaned_data["status"]
    if status != action.status:
        note = _("Moved from “%(before)s” to “%(after)s”.") % {
            "before": action.get_status_display(), "after": Action.Status(status).label}
        services.action_progress(user=request.user, access=project.access, action=action, note=note, status=status)
    message = _("%(code)s is now “%(status)s”.") % {"code": action.code, "status": Action.Status(status).label}
    if request.htmx and form.cleaned_data.get("back") == "board":
        actions = list(actions_for_project(project=project))
        context = _board_context(request, project, actions)
        moved = next(a for a in actions if a.pk == action.pk)
        context.update({"action": moved, "message": message})
        return render(request, "actionplans/action_board.html#moved", context)
    messages.success(request, message)
    return redirect(_back(form, action))


def _back(form: MoveForm, action: Action) -> str:
    back = form.cleaned_data.get("back") if hasattr(form, "cleaned_data") else ""
    if back == "mine":
        return reverse("actionplans:mine", kwargs={"project_id": action.project_id})
    if back == "action":
        return _action_url(action)
    return reverse("actionplans:board", kwargs={"project_id": action.project_id}) + f"#action-{action.pk}"


def _observation(project, request: HttpRequest):
    observation_id = request.GET.get("observation")
    if not observation_id:
        return None
    if not observation_id.isdigit():
        raise Http404("No such observation.")
    return project_child_get(Observation.objects.select_related("meeting"), project=project, pk=observation_id,
                             project_field="meeting__project")


@dataclass(frozen=True)
class SourceFinding:
    """The finding a new action answers (SPEC §7.1), whichever app it comes from: the link the action
    keeps, what the form starts from, and what the page shows about it."""

    kind: str
    ref: str
    label: str
    initial: dict
    text: str
    about: dict  # what the form page says of the source (meeting title, point number, …)


def _source_finding(project, request: HttpRequest) -> SourceFinding | None:
    """`?observation=`, `?inspection_point=` or `?map_answer=`, resolved within the project (404 otherwise)."""
    observation = _observation(project, request)
    if observation is not None:
        return SourceFinding(
            kind=ActionFinding.Kind.OBSERVATION, ref=str(observation.pk), label=observation.text,
            initial={"title": observation.text.strip().splitlines()[0][:200] if observation.text.strip() else "",
                     "description": observation.text, "category": observation.category,
                     "lon": observation.lon, "lat": observation.lat},
            text=observation.text, about={"meeting": observation.meeting.title})
    point_id = request.GET.get("inspection_point")
    if point_id:
        if not point_id.isdigit():
            raise Http404("No such inspection point.")
        point = point_finding(project=project, point_id=point_id)
        return SourceFinding(
            kind=ActionFinding.Kind.INSPECTION_POINT, ref=point.ref, label=point.label,
            initial={"title": point.title, "description": point.description, "category": point.category,
                     "lon": point.lon, "lat": point.lat},
            text=point.point.finding or point.point.name,
            about={"number": point.point.number, "name": point.point.name, "title": point.point.inspection.title})
    answer_id = request.GET.get("map_answer")
    if answer_id:
        if not answer_id.isdigit():
            raise Http404("No such map answer.")
        answer = map_answer_finding(project=project, answer_id=answer_id)
        return SourceFinding(
            kind=ActionFinding.Kind.MAP_ANSWER, ref=answer.ref, label=answer.label,
            initial={"title": answer.label[:200], "description": answer.description,
                     "category": WorkArea.SAFETY, "lon": answer.lon, "lat": answer.lat},
            text=answer.label, about={})
    return None


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    source = _source_finding(project, request)
    form = ActionForm(request.POST or None, project=project, initial=source.initial if source else {})
    if request.method == "POST" and form.is_valid():
        findings = [(source.kind, source.ref, source.label)] if source else []
        try:
            action = services.action_create(user=request.user, project=project, findings=findings,
                                            other_actors=form.cleaned_data["other_actors"], **form.values())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The action %(code)s is created.") % {"code": action.code})
            return redirect(_action_url(action))
    return render(request, "actionplans/action_form.html",
                  {"project": project, "form": form, "source": source, "action": None})


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, project_id: int, action_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    action = _action(project, action_id)
    form = ActionForm(request.POST or None, project=project, initial=ActionForm.initial_for(action))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(user=request.user, project=project, action=action,
                                   other_actors=form.cleaned_data["other_actors"], **form.values())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The action %(code)s is saved.") % {"code": action.code})
            return redirect(_action_url(action))
    return render(request, "actionplans/action_form.html",
                  {"project": project, "form": form, "source": None, "action": action})


@login_required
@require_http_methods(["GET", "POST"])
def action_delete(request: HttpRequest, project_id: int, action_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    action = _action(project, action_id)
    if request.method == "POST":
        code = action.code
        services.action_delete(user=request.user, project=project, action=action)
        messages.success(request, _("The action %(code)s is deleted.") % {"code": code})
        return redirect("actionplans:list", project_id=project.pk)
    return render(request, "actionplans/action_delete.html", {"project": project, "action": action})


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, project_id: int, action_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.VIEW)
    action = _action(project, action_id)
    access = project.access
    can_update = action_can_update(user=request.user, access=access, action=action)
    confirm_done = request.GET.get("klar") == "1" and can_update and action.is_open
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied
        form = ProgressForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.action_progress(user=request.user, access=access, action=action, note=data["note"],
                                         status=data["status"], photo=data["photo"])
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    _add_errors(form, exc)
                else:
                    form.add_error("photo", exc)
            else:
                messages.success(request, _("Your update on %(code)s is saved.") % {"code": action.code})
                return redirect(_action_url(action, "updates"))
        messages.error(request, _("The update was not saved."))
    elif confirm_done:
        form = ProgressForm(initial={"status": Action.Status.DONE, "note": _("The action is done.")})
    else:
        form = ProgressForm()
    findings = list(action.findings.all())
    if access.can_view_personal:
        observation_ids = [int(f.ref) for f in findings
                           if f.kind == ActionFinding.Kind.OBSERVATION and f.ref.isdigit()]
        meetings = dict(Observation.objects.filter(pk__in=observation_ids, meeting__project=project)
                        .values_list("pk", "meeting_id"))
        for finding in findings:
            finding.meeting_id = meetings.get(int(finding.ref)) if finding.ref.isdigit() else None
    return render(request, "actionplans/action_detail.html", {
        "project": project, "action": action, "findings": findings,
        "other_actors": list(action.other_actors.all()),
        "updates": list(action.updates.select_related("author")),
        "can_update": can_update, "form": form, "confirm_done": confirm_done, "today": timezone.localdate(),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def update_photo(request: HttpRequest, project_id: int, action_id: int, update_id: int) -> FileResponse:
    """Progress photos are served only through the access module, never from MEDIA_URL."""
    project = _project(request, project_id, Perm.VIEW_PERSONAL)
    action = _action(project, action_id, Action.objects.all())
    update = project_child_get(ActionUpdate.objects.filter(action=action), project=project, pk=update_id,
                               project_field="action__project")
    if not update.photo:
        raise Http404("No photo.")
    response = FileResponse(update.photo.open("rb"), content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="{action.code}-{update.pk}.jpg"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def my_actions(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.CONTRIBUTE)
    today = timezone.localdate()
    actions = list(actions_for_responsible(project=project, user=request.user))
    # Overdue first, then the other open ones by due date, closed ones last.
    actions.sort(key=lambda a: (not a.is_overdue(today), not a.is_open, a.due_date or today.max, a.number))
    return render(request, "actionplans/my_actions.html", {"project": project, "actions": actions, "today": today})
