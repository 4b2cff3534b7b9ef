"""Views: a survey's distribution (SPEC §5.2) — publishing, the schedule, the public link and its QR
code and poster, personal invitations, the live response count.

The page lists invitees' e-mail addresses, so it needs Perm.VIEW_PERSONAL (county boards: 403);
every change needs Perm.MANAGE. The QR code of the public link and the live count are not personal
(Perm.VIEW). The invitation list says whether someone answered, never which response is theirs.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseStopPolling

from trygga_platser.reports.services import report_request
from trygga_platser.tenancy.access import Perm, project_child_get, project_get_for_user

from ..forms.distribution import (
    InvitationListForm,
    MembersForm,
    PublishForm,
    ScheduleForm,
)
from ..models import Invitation, Survey
from ..qr import qr_png, qr_svg, qr_svg_inline
from ..reports import SURVEY_POSTER
from ..selectors.distribution import (
    distribution_counts,
    invitations_for_survey,
    members_to_invite,
)
from ..services.distribution import (
    survey_close_now,
    survey_publish,
    survey_schedule_update,
)
from ..services.invitations import (
    LIST_HAS_ERRORS,
    invitation_delete,
    invitation_list_read,
    invitations_create,
    public_url,
)

TEMPLATE = "surveys/distribution/distribution.html"
POLL_SECONDS = 10


def _survey(request: HttpRequest, project_id: int, survey_id: int, perm: Perm) -> tuple:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=perm)
    survey = project_child_get(Survey.objects.select_related("project__municipality"), project=project, pk=survey_id)
    survey.project = project  # keep the access flags on the survey's project
    return project, survey


def _back(survey: Survey) -> HttpResponse:
    return redirect("surveys:distribution", project_id=survey.project_id, survey_id=survey.pk)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _page(request: HttpRequest, project, survey: Survey, *, status: int = 200, **forms) -> HttpResponse:
    can_manage = project.access.can_manage
    memberships = members_to_invite(project=project, survey=survey) if can_manage else []
    url = public_url(survey)
    context = {
        "project": project,
        "survey": survey,
        "state": survey.state(),
        "state_label": Survey.State(survey.state()).label,
        "reminder_days_text": ", ".join(str(d) for d in survey.reminder_days or []),
        "counts": distribution_counts(survey=survey),
        "invitations": list(invitations_for_survey(survey=survey)),
        "public_url": url,
        "qr_svg": qr_svg_inline(url, css_class="qr-code") if survey.public_link_enabled else "",
        "poll_seconds": POLL_SECONDS,
        "can_manage": can_manage,
        "can_poster": project.access.allows(SURVEY_POSTER.perm),
        "publish_form": forms.get("publish_form") or PublishForm.for_survey(survey),
        "schedule_form": forms.get("schedule_form") or ScheduleForm.for_survey(survey),
        "members_form": forms.get("members_form") or MembersForm(memberships=memberships),
        "list_form": forms.get("list_form") or InvitationListForm(),
        "list_preview": forms.get("list_preview"),
    }
    return render(request, TEMPLATE, context, status=status)


@login_required
@require_http_methods(["GET"])
def distribution(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    project, survey = _survey(request, project_id, survey_id, Perm.VIEW_PERSONAL)
    return _page(request, project, survey)


@login_required
@require_http_methods(["GET"])
@vary_on_headers("HX-Request")
def count(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    """The live count (htmx polls it every POLL_SECONDS); aggregates only."""
    project, survey = _survey(request, project_id, survey_id, Perm.VIEW)
    context = {"project": project, "survey": survey, "state": survey.state(),
               "counts": distribution_counts(survey=survey), "poll_seconds": POLL_SECONDS}
    response = render(request, f"{TEMPLATE}#count", context)
    if request.htmx and context["state"] in (Survey.State.CLOSED, Survey.State.DRAFT):
        # 286 tells htmx to stop polling; the body still replaces the count one last time.
        return HttpResponseStopPolling(response.content)
    return response


@login_required
@require_POST
def publish(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    project, survey = _survey(request, project_id, survey_id, Perm.MANAGE)
    form = PublishForm.for_survey(survey, data=request.POST)
    if form.is_valid():
        try:
            survey = survey_publish(survey=survey, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The survey is published."))
            return _back(survey)
    return _page(request, project, survey, status=400, publish_form=form)


@login_required
@require_POST
def schedule(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    project, survey = _survey(request, project_id, survey_id, Perm.MANAGE)
    form = ScheduleForm.for_survey(survey, data=request.POST)
    if form.is_valid():
        values = dict(form.cleaned_data)
        if survey.published_at is None:
            # A draft's dates are set when it is published (the page shows no date fields here).
            values.update(opens_on=survey.opens_on, closes_on=survey.closes_on)
        try:
            survey = survey_schedule_update(survey=survey, user=request.user, **values)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The distribution settings are saved."))
            return _back(survey)
    return _page(request, project, survey, status=400, schedule_form=form)


@login_required
@require_POST
def close(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    _project, survey = _survey(request, project_id, survey_id, Perm.MANAGE)
    try:
        survey_close_now(survey=survey, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The survey is closed and takes no more answers."))
    return _back(survey)


def _public_survey(request: HttpRequest, project_id: int, survey_id: int) -> tuple:
    project, survey = _survey(request, project_id, survey_id, Perm.VIEW)
    if not survey.public_link_enabled:
        raise Http404("The public link is turned off.")
    return project, survey


def _download(content: bytes | str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET"])
def qr_svg_download(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    _project, survey = _public_survey(request, project_id, survey_id)
    return _download(qr_svg(public_url(survey)), content_type="image/svg+xml; charset=utf-8",
                     filename=f"qr-{slugify(survey.title)[:60] or survey.pk}.svg")


@login_required
@require_http_methods(["GET"])
def qr_png_download(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    _project, survey = _public_survey(request, project_id, survey_id)
    return _download(qr_png(public_url(survey)), content_type="image/png",
                     filename=f"qr-{slugify(survey.title)[:60] or survey.pk}.png")


@login_required
@require_POST
def poster(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    project, survey = _survey(request, project_id, survey_id, SURVEY_POSTER.perm)
    if not survey.public_link_enabled:
        messages.error(request, _("Turn on the public link to print a poster."))
        return _back(survey)
    report = report_request(user=request.user, project=project, kind=SURVEY_POSTER.key,
                            params={"survey_id": survey.pk})
    return redirect("reports:detail", project_id=project.pk, report_id=report.pk)


@login_required
@require_POST
def invitations_add(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    """Invite chosen project members, each with their stakeholder category in the project."""
    project, survey = _survey(request, project_id, survey_id, Perm.MANAGE)
    form = MembersForm(request.POST, memberships=members_to_invite(project=project, survey=survey))
    if form.is_valid():
        rows = [(m.user.email, m.stakeholder_category, m.user) for m in form.chosen()]
        try:
            created = invitations_create(survey=survey, user=request.user, rows=rows)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _invited_message(created, survey))
            return _back(survey)
    return _page(request, project, survey, status=400, members_form=form)


def _invited_message(created: list, survey: Survey) -> str:
    count = len(created)
    if survey.is_open():
        return ngettext("Invited %(count)s person; the e-mail is on its way.",
                        "Invited %(count)s people; the e-mails are on their way.", count) % {"count": count}
    return ngettext("Invited %(count)s person; the e-mail is sent when the survey opens.",
                    "Invited %(count)s people; the e-mails are sent when the survey opens.", count) % {"count": count}


@login_required
@require_POST
def invitations_upload(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    """Invite a pasted or uploaded list, all or nothing; wrong lines are listed by line number."""
    project, survey = _survey(request, project_id, survey_id, Perm.MANAGE)
    form = InvitationListForm(request.POST, request.FILES)
    preview = None
    if form.is_valid():
        preview = invitation_list_read(survey=survey, data=form.data_to_read())
        if preview.has_errors:
            form.add_error(None, LIST_HAS_ERRORS)
        else:
            rows = [(row.email, row.category, None, row.language) for row in preview.rows]
            try:
                created = invitations_create(survey=survey, user=request.user, rows=rows)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _invited_message(created, survey))
                return _back(survey)
    return _page(request, project, survey, status=400, list_form=form, list_preview=preview)


@login_required
@require_POST
def invitation_remove(request: HttpRequest, project_id: int, survey_id: int, invitation_id: int) -> HttpResponse:
    project, survey = _survey(request, project_id, survey_id, Perm.MANAGE)
    invitation = project_child_get(Invitation.objects.filter(survey=survey).select_related("survey__project"),
                                   project=project, pk=invitation_id, project_field="survey__project")
    try:
        invitation_delete(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed the invitation of %(email)s.") % {"email": invitation.email})
    return _back(survey)
