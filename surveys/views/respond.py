"""The respondent's pages (SPEC §5.3): no account, a phone first, no JavaScript needed.

`e/<token>/` answers through the survey's public link, `e/i/<token>/` through a personal invitation.
Every page is a POST back to the same URL carrying the earlier pages in a signed hidden field
(surveys/forms/respond.py); the final page stores the response all or nothing (one transaction, or
one statement on PostgreSQL) and redirects to the thank-you page. No session, cookie or row is
written before that (the CSRF cookie aside: CSRF stays on, so another site cannot post answers
from its visitors' browsers).

Status codes: a draft or not-yet-open survey answers 200 with a page saying when it opens (the link
may already be on a poster); a closed survey 410 Gone; a used invitation 200 (409 when it is used
again by a submit); a tampered or malformed request 400; too many submits 429. None stores anything.
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import ratelimit
from ..forms import respond as f
from ..models import Survey
from ..selectors.definition import (
    SurveyDefinition,
    invitation_definition,
    survey_definition,
)
from ..services import responding as r

TEMPLATE = "surveys/respond/page.html"


def _context(survey_def: SurveyDefinition | None, **extra) -> dict:
    # Switching language reloads the survey from its first page, so it is offered where nothing is lost.
    return {"survey": survey_def, "show_language_switch": True, **extra}


def _see_other(url: str) -> HttpResponseRedirect:
    """303: the browser GETs the thank-you page, and a reload does not post the answers again."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _bad_request(request, survey_def: SurveyDefinition | None):
    return render(request, "surveys/respond/bad_request.html", _context(survey_def), status=400)


def _state_page(request, survey_def: SurveyDefinition, state: str):
    status = 410 if state == Survey.State.CLOSED else 200
    return render(request, "surveys/respond/unavailable.html", _context(survey_def, state=state), status=status)


def _render_page(request, survey_def, *, page: int, answers: dict, errors: dict | None = None,
                 shown_values: dict | None = None, status: int = 200, first: bool = False):
    pages = f.visible_pages(survey_def, answers)
    if page not in pages:
        pages = sorted({*pages, page})
    questions = f.page_questions(survey_def, page, answers)
    values = {**answers, **(shown_values or {})}
    fields = f.page_fields(survey_def, questions, values, errors)
    number = pages.index(page) + 1
    ctx = _context(
        survey_def, fields=fields, page_number=number, page_count=len(pages), is_first=number == 1,
        is_last=number == len(pages), state=f.state_dump(survey_def, page=page, answers=answers),
        has_errors=bool(errors),
        has_map=any(field.question.kind == "map" for field in fields),
        show_language_switch=first, map_tile_url=settings.MAP_TILE_URL,
        map_tile_attribution=settings.MAP_TILE_ATTRIBUTION,
    )
    return render(request, TEMPLATE, ctx, status=status)


def _respond(request, survey_def: SurveyDefinition, *, invitation_token: str | None):
    state = survey_def.state()
    if state != Survey.State.OPEN:
        return _state_page(request, survey_def, state)
    pages = f.visible_pages(survey_def, {})
    if not pages:
        return _state_page(request, survey_def, Survey.State.DRAFT)
    if request.method == "GET":
        return _render_page(request, survey_def, page=pages[0], answers={}, first=True)

    try:
        page, answers = f.state_load(survey_def, request.POST.get(f.STATE_FIELD, ""))
        if page not in survey_def.pages:
            raise f.Tampered("no such page")
        shown = f.page_questions(survey_def, page, answers)
        if f.hidden_fields_posted(survey_def, page, shown, request.POST):
            raise f.Tampered("answer to a question that was not shown")
        values, slot_errors = f.page_read(survey_def, shown, request.POST)
    except f.Tampered:
        return _bad_request(request, survey_def)

    merged = {k: v for k, v in answers.items() if survey_def.question(k) is None or survey_def.question(k).page != page}
    merged.update(values)
    action = request.POST.get("action", "next")
    if action == "back":
        merged = f.answers_prune(survey_def, merged)
        order = f.visible_pages(survey_def, merged)
        earlier = [p for p in order if p < page]
        return _render_page(request, survey_def, page=earlier[-1] if earlier else page, answers=merged)

    if f.is_last_page(survey_def, page, f.answers_prune(survey_def, merged)) and not slot_errors:
        return _submit(request, survey_def, page=page, answers=answers, merged=merged, values=values,
                       invitation_token=invitation_token)

    # Next: this page must be right before moving on.
    service_answers = {k: f.service_value(survey_def.question(k), v) for k, v in f.answers_prune(survey_def, merged).items()
                       if survey_def.question(k) is not None}
    errors: dict[str, list] = dict(slot_errors)
    try:
        r.answers_clean(survey_def=survey_def, answers=service_answers, pages=(page,))
    except ValidationError as error:
        if r.is_malformed(error):
            return _bad_request(request, survey_def)
        for key, messages in error.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        return _render_page(request, survey_def, page=page, answers=answers, errors=errors, shown_values=values,
                            status=200)

    merged = f.answers_prune(survey_def, merged)
    later = [p for p in f.visible_pages(survey_def, merged) if p > page]
    if later:
        return _render_page(request, survey_def, page=later[0], answers=merged)
    return _submit(request, survey_def, page=page, answers=answers, merged=merged, values=values,
                   invitation_token=invitation_token)


def _submit(request, survey_def, *, page: int, answers: dict, merged: dict, values: dict,
            invitation_token: str | None):
    """The last page: the service validates everything once more and stores the response."""
    ticket = None
    if invitation_token is None:
        ticket = ratelimit.submit_allowed(request, survey_id=survey_def.id)
        if ticket is None:
            return render(request, "surveys/respond/rate_limited.html", _context(survey_def), status=429)
    merged = f.answers_prune(survey_def, merged)
    final = {k: f.service_value(survey_def.question(k), v) for k, v in merged.items()}
    try:
        r.survey_response_submit(survey_def=survey_def, answers=final, invitation_token=invitation_token)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            if error.code == "already_answered":
                return render(request, "surveys/respond/already_answered.html", _context(survey_def), status=409)
            if error.code in ("not_open", "public_link_closed"):
                return _state_page(request, survey_def, survey_def.state())
            return _bad_request(request, survey_def)
        on_this_page = {q.key for q in survey_def.questions_on(page)}
        if r.is_malformed(error) or not set(error.error_dict) <= on_this_page:
            # An earlier page no longer holds (the survey changed while it was answered): a clear 400.
            return _bad_request(request, survey_def)
        return _render_page(request, survey_def, page=page, answers=answers, errors=error.message_dict,
                            shown_values=values)
    if invitation_token is None:
        ratelimit.submit_count(ticket)
        return _see_other(reverse("surveys:respond_done", kwargs={"token": survey_def.public_token}))
    return _see_other(reverse("surveys:respond_done", kwargs={"token": invitation_token}))


@never_cache  # the pages hold answers: not in a shared cache, nor in a shared kiosk's back button
@require_http_methods(["GET", "POST"])
def respond(request, token: str):
    """A survey through its public link (404 when the coordinator switched the link off)."""
    survey_def = survey_definition(token=token)
    if not survey_def.public_link_enabled:
        raise Http404("The public link is off.")
    return _respond(request, survey_def, invitation_token=None)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request, token: str):
    """A survey through a personal invitation: answers once."""
    invitation_view, survey_def = invitation_definition(token=token)
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and invitation_view.language in dict(settings.LANGUAGES):
        # The invitation went out in the invitee's language; the page follows unless they chose another.
        translation.activate(invitation_view.language)
        request.LANGUAGE_CODE = invitation_view.language
    if invitation_view.used:
        return render(request, "surveys/respond/already_answered.html", _context(survey_def))
    return _respond(request, survey_def, invitation_token=invitation_view.token)


@require_http_methods(["GET"])
def respond_done(request, token: str):
    """Thank you. The token is the survey's public one or the invitation's; the page says nothing else."""
    try:
        survey_def = survey_definition(token=token)
    except Http404:
        survey_def = invitation_definition(token=token)[1]
    return render(request, "surveys/respond/done.html", _context(survey_def))
