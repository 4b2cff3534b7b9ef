"""Views: the current-state analysis (nulägesanalys, SPEC §6.4): one page bringing the surveys,
the inspection, point audits, site-walk observations and crime statistics together on one map, and
the coordinator's summary and conclusions, edited in place (htmx) or as a plain form.

The page needs Perm.VIEW (county boards read it: aggregates, scores and counts only); writing the
summary and conclusions needs Perm.EDIT.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from projects.views.pages import form_add_errors
from trygga_platser.reports.registry import kind_get
from trygga_platser.tenancy.access import Perm, project_get_for_user

from ..forms.current_state import CurrentStateForm
from ..maps import LAYER_KEYS, current_state_map_data, current_state_pictures
from ..reports import CURRENT_STATE_REPORT
from ..selectors.current_state import current_state_analysis_get, current_state_get
from ..services.current_state import current_state_save

TEMPLATE = "analysis/current_state/current_state.html"


def _hidden_layers(request: HttpRequest) -> list[str]:
    """Layers switched off with the (no-JavaScript) layer form: ?layer=a&layer=b shows only those."""
    if "layers" not in request.GET:
        return []
    shown = set(request.GET.getlist("layer"))
    return [key for key in LAYER_KEYS if key not in shown]


def _page_context(request: HttpRequest, project, *, form: CurrentStateForm | None = None) -> dict:
    state = current_state_get(project=project)
    hidden = _hidden_layers(request)
    pictures = current_state_pictures(state, hidden=hidden)
    return {
        "project": project,
        "state": state,
        "hidden_layers": hidden,
        "map_data": current_state_map_data(state, pictures["layers"]),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "report_kind": CURRENT_STATE_REPORT.key if kind_get(CURRENT_STATE_REPORT.key) else "",
        "form": form,
        **pictures,
    }


@login_required
@require_http_methods(["GET"])
def current_state(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.VIEW)
    return render(request, TEMPLATE, _page_context(request, project))


def _initial(project) -> dict:
    analysis = current_state_analysis_get(project=project)
    return {"summary": analysis.summary, "conclusions": analysis.conclusions} if analysis else {}


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def current_state_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    """htmx swaps the form into the page and the saved text back; without JavaScript it is the
    page with the form in place, and a save redirects to the page."""
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.EDIT)
    if request.method == "POST":
        form = CurrentStateForm(request.POST)
        if form.is_valid():
            try:
                analysis = current_state_save(user=request.user, project=project, **form.cleaned_data)
            except ValidationError as error:
                form_add_errors(form, error)
            else:
                if request.htmx:
                    return render(request, f"{TEMPLATE}#analysis_text", {
                        "project": project, "analysis": analysis, "saved": True})
                messages.success(request, _("The summary and conclusions were saved."))
                return redirect(reverse("analysis:current_state", kwargs={"project_id": project.pk}) + "#analysis")
        status = 400
    else:
        form = CurrentStateForm(initial=_initial(project))
        status = 200
    if request.htmx:
        # htmx swaps only 2xx answers: the form with its errors comes back as 200.
        return render(request, f"{TEMPLATE}#analysis_form", {"project": project, "form": form})
    return render(request, TEMPLATE, _page_context(request, project, form=form), status=status)
