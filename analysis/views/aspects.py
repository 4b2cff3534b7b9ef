"""Views: the organisation's aspect list for safety inspections (SPEC §6.1): the nine aspects and
their factors as data, a copy of the standard list an organisation can change, and the colour
thresholds. Only the organisation's coordinators reach them (tenancy.access); another
organisation's aspect or factor answers 404."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from projects.views.pages import form_add_errors
from trygga_platser.tenancy.access import (
    organisation_child_get,
    organisations_user_coordinates,
)

from ..forms.inspections import (
    AspectForm,
    FactorForm,
    ThresholdsForm,
)
from ..models import Aspect, Factor, ScoreThresholds
from ..selectors.inspections import (
    aspects_for,
    organisation_has_own_aspects,
    thresholds_for,
)
from ..services import inspections as services

# --- the organisation's aspect set -------------------------------------------------------------

def _organisations(request):
    organisations = list(organisations_user_coordinates(user=request.user).order_by("name"))
    if not organisations:
        raise PermissionDenied
    return organisations


def _organisation(request, organisations):
    wanted = request.POST.get("organisation") or request.GET.get("organisation")
    if not wanted:
        return organisations[0]
    for organisation in organisations:
        if str(organisation.pk) == str(wanted):
            return organisation
    raise Http404("No such organisation.")


def _aspects_url(organisation, anchor: str = "") -> str:
    url = f"{reverse('analysis:aspects')}?organisation={organisation.pk}"
    return f"{url}#{anchor}" if anchor else url


def _own_aspect(request, aspect_id: int) -> Aspect:
    return organisation_child_get(Aspect.objects.select_related("organisation"), user=request.user, pk=aspect_id)


def _own_factor(request, factor_id: int) -> Factor:
    return organisation_child_get(Factor.objects.select_related("aspect__organisation"), user=request.user,
                                  pk=factor_id, organisation_field="aspect__organisation")


@login_required
@require_http_methods(["GET", "POST"])
def aspects(request: HttpRequest) -> HttpResponse:
    """The organisation's aspects and factors, its thresholds, and (POST) making its own copy."""
    organisations = _organisations(request)
    organisation = _organisation(request, organisations)
    if request.method == "POST":
        try:
            services.aspects_customise(organisation=organisation, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your organisation now has its own aspect list, which you can change."))
        return redirect(_aspects_url(organisation))
    own = organisation_has_own_aspects(organisation=organisation)
    thresholds = thresholds_for(organisation=organisation)
    return render(request, "analysis/inspections/aspects.html", {
        "organisation": organisation, "organisations": organisations, "own": own,
        "aspects": aspects_for(organisation=organisation, include_retired=own), "thresholds": thresholds,
        "own_thresholds": thresholds.organisation_id == organisation.pk,
        "thresholds_form": ThresholdsForm(initial={"red_below": thresholds.red_below,
                                                   "green_from": thresholds.green_from}),
        "add_form": AspectForm(),
    })


def _settings_form_page(request, *, form, organisation, heading, save, retire=None, restore=None, anchor="",
                        obj=None, kind=""):
    if request.method == "POST":
        if request.POST.get("retire") and retire is not None:
            deleted = retire()
            messages.success(request, _("Deleted.") if deleted else
                             _("Taken out of use. Earlier inspections keep their scores."))
            return redirect(_aspects_url(organisation))
        if request.POST.get("restore") and restore is not None:
            restore()
            messages.success(request, _("Back in use."))
            return redirect(_aspects_url(organisation, anchor))
        if form.is_valid():
            try:
                save(form.values())
            except ValidationError as exc:
                form_add_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(_aspects_url(organisation, anchor))
    return render(request, "analysis/inspections/settings_form.html", {
        "organisation": organisation, "form": form, "heading": heading, "obj": obj, "kind": kind,
        "can_retire": retire is not None, "cancel_url": _aspects_url(organisation, anchor),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def aspect_add(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request, _organisations(request))
    form = AspectForm(request.POST or None)
    return _settings_form_page(
        request, form=form, organisation=organisation, heading=_("New aspect"), kind="aspect",
        save=lambda data: services.aspect_add(organisation=organisation, user=request.user, data=data))


@login_required
@require_http_methods(["GET", "POST"])
def aspect_edit(request: HttpRequest, aspect_id: int) -> HttpResponse:
    aspect = _own_aspect(request, aspect_id)
    form = AspectForm(request.POST or None, initial=AspectForm.initial_for(aspect))
    return _settings_form_page(
        request, form=form, organisation=aspect.organisation, obj=aspect, kind="aspect", anchor=f"aspect-{aspect.pk}",
        heading=_("Edit the aspect “%(name)s”") % {"name": aspect.localized_name()},
        save=lambda data: services.aspect_update(aspect=aspect, user=request.user, data=data),
        retire=lambda: services.aspect_retire(aspect=aspect, user=request.user),
        restore=lambda: services.aspect_restore(aspect=aspect, user=request.user))


@login_required
@require_http_methods(["GET", "POST"])
def factor_add(request: HttpRequest, aspect_id: int) -> HttpResponse:
    aspect = _own_aspect(request, aspect_id)
    form = FactorForm(request.POST or None)
    return _settings_form_page(
        request, form=form, organisation=aspect.organisation, kind="factor", anchor=f"aspect-{aspect.pk}",
        heading=_("New factor of “%(name)s”") % {"name": aspect.localized_name()},
        save=lambda data: services.factor_add(aspect=aspect, user=request.user, data=data))


@login_required
@require_http_methods(["GET", "POST"])
def factor_edit(request: HttpRequest, factor_id: int) -> HttpResponse:
    factor = _own_factor(request, factor_id)
    form = FactorForm(request.POST or None, initial=FactorForm.initial_for(factor))
    return _settings_form_page(
        request, form=form, organisation=factor.aspect.organisation, obj=factor, kind="factor",
        anchor=f"aspect-{factor.aspect_id}",
        heading=_("Edit the factor “%(name)s”") % {"name": factor.localized_name()},
        save=lambda data: services.factor_update(factor=factor, user=request.user, data=data),
        retire=lambda: services.factor_retire(factor=factor, user=request.user),
        restore=lambda: services.factor_restore(factor=factor, user=request.user))


@login_required
@require_http_methods(["POST"])
def thresholds(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request, _organisations(request))
    if request.POST.get("reset"):
        services.thresholds_reset(organisation=organisation, user=request.user)
        messages.success(request, _("The thresholds are back to the default."))
        return redirect(_aspects_url(organisation, "thresholds"))
    form = ThresholdsForm(request.POST)
    if form.is_valid():
        try:
            services.thresholds_update(organisation=organisation, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("The thresholds are saved."))
            return redirect(_aspects_url(organisation, "thresholds"))
    own = organisation_has_own_aspects(organisation=organisation)
    current = thresholds_for(organisation=organisation)
    return render(request, "analysis/inspections/aspects.html", {
        "organisation": organisation, "organisations": _organisations(request), "own": own,
        "aspects": aspects_for(organisation=organisation, include_retired=own), "thresholds": current,
        "own_thresholds": isinstance(current, ScoreThresholds) and current.organisation_id == organisation.pk,
        "thresholds_form": form, "add_form": AspectForm(),
    }, status=400)
