"""Builder pages for the answer options of single and multiple choice questions (SPEC §5.1): add,
edit, reorder and remove. The short forms sit on the builder page; with htmx its question list is
swapped in place, without JavaScript each is a plain POST and redirect (see views.builder)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from trygga_platser.tenancy.access import Perm, project_child_get

from ..forms.builder import MoveForm, OptionForm
from ..models import Option, Survey
from ..selectors.builder import PROTECTED_KEYS, survey_response_count
from ..services import builder_options as option_services
from .builder import (
    _add_errors,
    _after_change,
    _builder_url,
    _data,
    _error_text,
    _project,
    _question,
    _survey,
    _survey_context,
)


def _option(survey: Survey, option_id: int) -> Option:
    option = project_child_get(Option.objects.select_related("question"), project=survey.project, pk=option_id,
                               project_field="question__survey__project")
    if option.question.survey_id != survey.pk:
        raise Http404("No such answer option.")
    option.question.survey = survey
    return option



@login_required
@require_POST
@vary_on_headers("HX-Request")
def option_add(request: HttpRequest, project_id: int, survey_id: int, question_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    survey = _survey(project, survey_id)
    question = _question(survey, question_id)
    form = OptionForm(request.POST)
    if not form.is_valid():
        return _after_change(request, survey, error=_("Write the answer option."),
                             focus=f"question-{question.pk}-new-option", anchor=f"question-{question.pk}")
    try:
        option_services.option_add(question=question, user=request.user, **form.values())
    except ValidationError as exc:
        return _after_change(request, survey, error=_error_text(exc), focus=f"question-{question.pk}-new-option",
                             anchor=f"question-{question.pk}")
    return _after_change(request, survey, message=_("The answer option is added."),
                         focus=f"question-{question.pk}-new-option", anchor=f"question-{question.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def option_edit(request: HttpRequest, project_id: int, survey_id: int, option_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    survey = _survey(project, survey_id)
    option = _option(survey, option_id)
    frozen = survey_response_count(survey=survey) > 0
    form = OptionForm(_data(request), frozen=frozen, protected=option.question.key in PROTECTED_KEYS, initial={
        "label": option.label, "label_en": option.label_en, "value": option.value, "is_missing": option.is_missing})
    if request.method == "POST" and form.is_valid():
        try:
            option_services.option_update(option=option, user=request.user, **form.values())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The answer option is saved."))
            return redirect(_builder_url(survey, f"question-{option.question_id}"))
    return render(request, "surveys/builder/option_form.html", _survey_context(survey, form=form, option=option))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def option_move(request: HttpRequest, project_id: int, survey_id: int, option_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    survey = _survey(project, survey_id)
    option = _option(survey, option_id)
    form = MoveForm(request.POST)
    anchor = f"question-{option.question_id}"
    if not form.is_valid():
        return _after_change(request, survey, error=_("Choose up or down."), anchor=anchor)
    direction = form.cleaned_data["direction"]
    try:
        option_services.option_move(option=option, user=request.user, direction=direction)
    except ValidationError as exc:
        return _after_change(request, survey, error=_error_text(exc), anchor=anchor)
    return _after_change(request, survey, message=_("Moved “%(label)s”.") % {"label": option.label},
                         focus=f"option-{option.pk}-{direction}", anchor=anchor)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def option_delete(request: HttpRequest, project_id: int, survey_id: int, option_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    survey = _survey(project, survey_id)
    option = _option(survey, option_id)
    anchor = f"question-{option.question_id}"
    try:
        option_services.option_delete(option=option, user=request.user)
    except ValidationError as exc:
        return _after_change(request, survey, error=_error_text(exc), focus=f"option-{option.pk}-delete",
                             anchor=anchor)
    return _after_change(request, survey, message=_("The answer option “%(label)s” is removed.") % {
        "label": option.label}, focus=f"question-{option.question_id}-new-option", anchor=anchor)
