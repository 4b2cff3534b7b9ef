"""Survey pages of the builder (SPEC §5.1): the project's surveys, creating one from the question bank,
the overview, settings, the questions by page with their options and display conditions, the preview
and deleting. Thin: resolve access through `tenancy.access`, parse a form, call one service or
selector, render. Every change works as a plain POST and redirect; with htmx the builder's question
list is swapped in place and focus returns to the control that was used."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from trygga_platser.tenancy.access import Perm, project_child_get, project_get_for_user

from ..forms.builder import (
    ConditionForm,
    MoveForm,
    QuestionForm,
    SurveyCreateForm,
    SurveySettingsForm,
)
from ..models import Question, Survey
from ..selectors.builder import (
    PROTECTED_KEYS,
    baseline_candidates,
    condition_candidates,
    survey_pages,
    survey_questions,
    survey_response_count,
    surveys_for_project,
)
from ..services import builder as services

BUILDER_PARTIAL = "surveys/builder/builder.html#questions"


# --- lookups --------------------------------------------------------------------------------------

def _project(request: HttpRequest, project_id: int, perm: Perm):
    return project_get_for_user(user=request.user, project_id=project_id, perm=perm)


def _survey(project, survey_id: int) -> Survey:
    survey = project_child_get(Survey.objects.select_related("baseline"), project=project, pk=survey_id)
    survey.project = project  # the resolved project, carrying `.access`
    return survey


def _question(survey: Survey, question_id: int) -> Question:
    question = project_child_get(Question, project=survey.project, pk=question_id, project_field="survey__project")
    if question.survey_id != survey.pk:
        raise Http404("No such question.")
    question.survey = survey
    return question


def _data(request: HttpRequest):
    """The submitted data for a POST (even an empty one, so its errors show), None for a GET."""
    return request.POST if request.method == "POST" else None


def _add_errors(form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _builder_url(survey: Survey, anchor: str = "") -> str:
    url = reverse("surveys:builder", kwargs={"project_id": survey.project_id, "survey_id": survey.pk})
    return f"{url}#{anchor}" if anchor else url


def _detail_url(survey: Survey) -> str:
    return reverse("surveys:detail", kwargs={"project_id": survey.project_id, "survey_id": survey.pk})


def _survey_context(survey: Survey, **extra) -> dict:
    return {"project": survey.project, "survey": survey, **extra}


def _builder_context(request: HttpRequest, survey: Survey, **extra) -> dict:
    questions = survey_questions(survey=survey)
    pages = survey_pages(survey=survey, questions=questions)
    response_count = survey_response_count(survey=survey)
    add_form = extra.pop("add_form", None) or QuestionForm(pages=len(pages) or 1, initial={"page": len(pages) or 1},
                                                           auto_id="add_%s")
    return _survey_context(survey, pages=pages, question_count=len(questions), response_count=response_count,
                           frozen=response_count > 0, add_form=add_form, htmx=bool(request.htmx), **extra)


def _after_change(request: HttpRequest, survey: Survey, *, message: str = "", error: str = "", focus: str = "",
                  anchor: str = "") -> HttpResponse:
    """htmx: the question list again, with a status message and where focus goes; otherwise back to
    the builder with the message."""
    if request.htmx:
        return render(request, BUILDER_PARTIAL, _builder_context(request, survey, message=message, error=error,
                                                                 focus=focus))
    if error:
        messages.error(request, error)
    elif message:
        messages.success(request, message)
    return redirect(_builder_url(survey, anchor))


# --- surveys --------------------------------------------------------------------------------------

@login_required
@require_GET
def survey_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.VIEW)
    surveys = list(surveys_for_project(project=project))
    return render(request, "surveys/survey_list.html", {"project": project, "surveys": surveys})


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    baselines = baseline_candidates(project=project)
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") in Survey.Kind.values else {}
    form = SurveyCreateForm(_data(request), baselines=baselines, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        baseline = data["baseline"] if data["kind"] == Survey.Kind.FOLLOWUP else None
        try:
            survey = services.survey_create(project=project, kind=data["kind"], user=request.user,
                                            title=data["title"], baseline=baseline)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The survey “%(title)s” is created from the question bank. Adjust the "
                                        "questions before you publish it.") % {"title": survey.title})
            return redirect(_builder_url(survey))
    return render(request, "surveys/survey_create.html", {"project": project, "form": form,
                                                          "has_baselines": baselines.exists()})


@login_required
@require_GET
def survey_detail(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.VIEW)
    survey = _survey(project, survey_id)
    questions = survey_questions(survey=survey)
    return render(request, "surveys/survey_detail.html", _survey_context(
        survey, response_count=survey_response_count(survey=survey), question_count=len(questions),
        page_count=len({q.page for q in questions}), followups=list(survey.followups.order_by("-created_at")),
        state=survey.state()))


@login_required
@require_http_methods(["GET", "POST"])
def survey_settings(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    survey = _survey(project, survey_id)
    form = SurveySettingsForm(_data(request), initial=SurveySettingsForm.initial_for(survey))
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update_settings(survey=survey, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect(_detail_url(survey))
    return render(request, "surveys/survey_settings.html", _survey_context(survey, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def survey_delete(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    survey = _survey(project, survey_id)
    response_count = survey_response_count(survey=survey)
    if response_count and not project.access.can_manage:
        raise PermissionDenied  # deleting answers people gave is the coordinator's decision
    if request.method == "POST":
        title = survey.title
        services.survey_delete(survey=survey, user=request.user)
        messages.success(request, _("The survey “%(title)s” is deleted.") % {"title": title})
        return redirect("surveys:list", project_id=project.pk)
    return render(request, "surveys/survey_delete.html", _survey_context(survey, response_count=response_count))


@login_required
@require_GET
def survey_preview(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.VIEW)
    survey = _survey(project, survey_id)
    english = request.GET.get("sprak") == "en"
    pages = survey_pages(survey=survey)
    for page in pages:
        for question in page.questions:
            _show_in(question, english)
    return render(request, "surveys/survey_preview.html", _survey_context(
        survey, pages=pages, english=english,
        intro=(survey.intro_en or survey.intro) if english else survey.intro))


def _show_in(question: Question, english: bool) -> None:
    """The wording the preview shows: English where there is an English version (as respondents
    who choose English see it), else Swedish."""
    def pick(swedish: str, english_text: str) -> str:
        return english_text or swedish if english else swedish

    question.shown_text = pick(question.text, question.text_en)
    question.shown_help = pick(question.help_text, question.help_text_en)
    config = question.config or {}
    question.shown_low = pick(config.get("low", ""), config.get("low_en", ""))
    question.shown_high = pick(config.get("high", ""), config.get("high_en", ""))
    question.shown_categories = [pick(c.get("label", ""), c.get("label_en", "")) for c in config.get("categories", [])]
    for option in question.options.all():
        option.shown_label = pick(option.label, option.label_en)


# --- the builder: questions -----------------------------------------------------------------------

@login_required
@require_GET
def builder(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    survey = _survey(project, survey_id)
    return render(request, "surveys/builder/builder.html", _builder_context(request, survey))


def _page_count(survey: Survey) -> int:
    return max([q.page for q in survey.questions.all()] or [1])


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def question_add(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    survey = _survey(project, survey_id)
    pages = _page_count(survey)
    form = QuestionForm(_data(request), pages=pages, initial={"page": request.GET.get("page", pages)},
                        auto_id="add_%s")
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_add(survey=survey, user=request.user, options=form.options(),
                                             **form.values())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _after_change(request, survey, message=_("The question is added."),
                                 focus=f"question-{question.pk}-heading", anchor=f"question-{question.pk}")
    if request.htmx:  # the builder's inline form: show it again with its errors
        return render(request, BUILDER_PARTIAL, _builder_context(request, survey, add_form=form, focus="add-question",
                                                                 error=_("The question could not be added.")))
    return render(request, "surveys/builder/question_form.html", _survey_context(survey, form=form, question=None))


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, project_id: int, survey_id: int, question_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    survey = _survey(project, survey_id)
    question = _question(survey, question_id)
    frozen = survey_response_count(survey=survey) > 0
    form = QuestionForm(_data(request), pages=_page_count(survey), question=question, frozen=frozen,
                        protected=question.key in PROTECTED_KEYS, initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=question, user=request.user, **form.changes())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The question is saved."))
            return redirect(_builder_url(survey, f"question-{question.pk}"))
    return render(request, "surveys/builder/question_form.html", _survey_context(
        survey, form=form, question=question, frozen=frozen, protected=question.key in PROTECTED_KEYS))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def question_move(request: HttpRequest, project_id: int, survey_id: int, question_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    survey = _survey(project, survey_id)
    question = _question(survey, question_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _after_change(request, survey, error=_("Choose up or down."))
    direction = form.cleaned_data["direction"]
    try:
        services.question_move(question=question, user=request.user, direction=direction)
    except ValidationError as exc:
        return _after_change(request, survey, error=_error_text(exc), focus=f"question-{question.pk}-{direction}",
                             anchor=f"question-{question.pk}")
    label = _("up") if direction == "up" else _("down")
    return _after_change(request, survey, message=_("Moved “%(text)s” %(direction)s.") % {
        "text": question.text[:80], "direction": label}, focus=f"question-{question.pk}-{direction}",
        anchor=f"question-{question.pk}")


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def question_delete(request: HttpRequest, project_id: int, survey_id: int, question_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    survey = _survey(project, survey_id)
    question = _question(survey, question_id)
    if request.method == "POST":
        try:
            services.question_delete(question=question, user=request.user)
        except ValidationError as exc:
            return _after_change(request, survey, error=_error_text(exc), focus=f"question-{question.pk}-heading",
                                 anchor=f"question-{question.pk}")
        return _after_change(request, survey, message=_("The question “%(text)s” is removed.") % {
            "text": question.text[:80]}, focus="builder-heading")
    return render(request, "surveys/builder/question_delete.html", _survey_context(
        survey, question=question, dependants=list(question.dependants.all()),
        frozen=survey_response_count(survey=survey) > 0))


@login_required
@require_http_methods(["GET", "POST"])
def question_condition(request: HttpRequest, project_id: int, survey_id: int, question_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    survey = _survey(project, survey_id)
    question = _question(survey, question_id)
    candidates = condition_candidates(question=question, questions=survey_questions(survey=survey))
    initial = {"answers": [f"{question.condition_question_id}:{v}" for v in question.condition_values or []]}
    form = ConditionForm(_data(request), candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        condition_question, values = form.condition()
        try:
            services.question_set_condition(question=question, user=request.user,
                                            condition_question=condition_question, values=values)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The display condition is saved."))
            return redirect(_builder_url(survey, f"question-{question.pk}"))
    return render(request, "surveys/builder/question_condition.html",
                  _survey_context(survey, form=form, question=question))
