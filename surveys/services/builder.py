"""Writes of the survey builder (SPEC §5.1): create a survey from the question bank, edit its settings,
questions, answer options and display conditions, delete it.

Once a survey has responses its structure is frozen: questions and options can no longer be removed
and their type, key and value can no longer change, because answers, exports and comparisons refer to
them. Wording can still be corrected. Conditions only ever point at an earlier question.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygga_platser.audit.services import audit_record, changed_fields

from ..bank import OptionSpec, fixed_options, template_for
from ..bank.config import clean_config, default_config
from ..bank.safety import SAFE_EVENING_OPTIONS
from ..models import Option, Question, Response, Survey
from ..selectors.builder import PROTECTED_KEYS

HAS_RESPONSES = gettext_lazy(
    "The survey already has responses, so questions and answer options can no longer be removed and their type, "
    "key or value can no longer change. You can still correct the wording.")
INDICATOR_PROTECTED = gettext_lazy(
    "This question is compared with the national safety indicator, so its type, key and answer options stay as "
    "they are. You can still correct the wording.")
KEY_RESERVED = gettext_lazy(
    "This key belongs to the question compared with the national safety indicator. Add that question with this "
    "key instead of renaming another one.")
UNKNOWN_KIND = gettext_lazy("Choose a kind of survey.")
UNKNOWN_QUESTION_KIND = gettext_lazy("Choose a question type.")
BASELINE_ONLY_FOR_FOLLOWUP = gettext_lazy("Only a follow-up survey has a baseline survey.")
BASELINE_INVALID = gettext_lazy("The baseline must be a safety survey or follow-up of the same project.")
TITLE_REQUIRED = gettext_lazy("Give the survey a title.")
TEXT_REQUIRED = gettext_lazy("Write the question.")
LABEL_REQUIRED = gettext_lazy("Write the answer option.")
KEY_INVALID = gettext_lazy("Use only lower-case letters a–z, digits and underscores, starting with a letter.")
KEY_TAKEN = gettext_lazy("Another question in this survey already has this key.")
VALUE_TAKEN = gettext_lazy("Another answer option of this question already has this value.")
PAGE_INVALID = gettext_lazy("Choose an existing page or the next new one.")
FIXED_OPTIONS = gettext_lazy("This question type has fixed answer options.")
NOT_CHOICE = gettext_lazy("Only choice questions have answer options.")
CONDITION_NOT_EARLIER = gettext_lazy("A question can only depend on an earlier question in the survey.")
CONDITION_NOT_CHOICE = gettext_lazy("A question can only depend on a choice question.")
CONDITION_VALUES_REQUIRED = gettext_lazy("Choose at least one answer that shows the question.")
CONDITION_UNKNOWN_VALUE = gettext_lazy("Choose answers of the question the condition depends on.")
ORDER_BREAKS_CONDITION = gettext_lazy(
    "That would put a question before the question it depends on. Change the display condition first.")
HAS_DEPENDANTS = gettext_lazy(
    "Other questions are shown depending on this one (%(questions)s). Remove their display conditions first.")
OPTION_IN_CONDITION = gettext_lazy(
    "A display condition uses this answer option (%(questions)s). Change the condition first.")

SETTINGS_FIELDS = ("title", "title_en", "intro", "intro_en")
QUESTION_FIELDS = ("text", "text_en", "help_text", "help_text_en", "required", "page", "key", "kind", "config")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
VALUE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


# --- helpers --------------------------------------------------------------------------------------

def survey_touch(survey: Survey) -> None:
    """Bump `updated_at` after a question or option changed: the respondent pages read a cached
    snapshot keyed by it (surveys.selectors.definition), so without this they would keep asking the
    old questions until the cache expires."""
    Survey.objects.filter(pk=survey.pk).update(updated_at=timezone.now())


def survey_has_responses(survey: Survey) -> bool:
    return Response.objects.filter(survey=survey).exists()


def _refuse_if_answered(survey: Survey) -> None:
    if survey_has_responses(survey):
        raise ValidationError(HAS_RESPONSES, code="has_responses")


def _ordered(survey: Survey) -> list[Question]:
    return list(Question.objects.filter(survey=survey).order_by("page", "position", "pk"))


def _check_conditions_backwards(ordered: list[Question]) -> None:
    index = {q.pk: i for i, q in enumerate(ordered)}
    for i, q in enumerate(ordered):
        if q.condition_question_id and index.get(q.condition_question_id, len(ordered)) >= i:
            raise ValidationError(ORDER_BREAKS_CONDITION, code="order")


def _renumber(ordered: list[Question]) -> None:
    """Save `ordered` as the survey's order: positions 0…n and pages numbered 1, 2, … without gaps."""
    pages = {page: n for n, page in enumerate(sorted({q.page for q in ordered}), start=1)}
    for position, q in enumerate(ordered):
        q.position = position
        q.page = pages[q.page]
    Question.objects.bulk_update(ordered, ["position", "page"])


def _slug_key(text: str, taken: set[str], pattern=KEY_RE, fallback: str = "q") -> str:
    base = slugify(text).replace("-", "_")[:40].strip("_")
    if base and not pattern.match(base) and pattern.match(f"{fallback}_{base}"):
        base = f"{fallback}_{base}"  # e.g. a key must start with a letter: "1_gang" becomes "q_1_gang"
    if not base or not pattern.match(base):
        base = fallback
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _dependants_text(questions: Iterable[Question]) -> str:
    return ", ".join(f"“{q.text[:60]}”" for q in questions)


def _create_options(question: Question, options: Iterable[OptionSpec]) -> None:
    Option.objects.bulk_create([
        Option(question=question, position=i, value=o.value, label=o.label, label_en=o.label_en,
               is_missing=o.is_missing) for i, o in enumerate(options)
    ])


# --- surveys --------------------------------------------------------------------------------------

def _validate_baseline(*, project, kind: str, baseline: Survey | None) -> None:
    if baseline is None:
        return
    if kind != Survey.Kind.FOLLOWUP:
        raise ValidationError({"baseline": BASELINE_ONLY_FOR_FOLLOWUP})
    if baseline.project_id != project.pk or baseline.kind not in (Survey.Kind.SAFETY, Survey.Kind.FOLLOWUP):
        raise ValidationError({"baseline": BASELINE_INVALID})


def _copy_questions(*, source: Survey, target: Survey) -> None:
    """Copy `source`'s questions, options and conditions into `target`, keys and values unchanged, so
    the follow-up's answers can be matched with the baseline's (SPEC §5.6)."""
    by_key: dict[str, Question] = {}
    originals = list(source.questions.order_by("page", "position", "pk").prefetch_related("options")
                     .select_related("condition_question"))
    for original in originals:
        copy = Question.objects.create(
            survey=target, position=original.position, page=original.page, kind=original.kind, key=original.key,
            text=original.text, text_en=original.text_en, help_text=original.help_text,
            help_text_en=original.help_text_en, required=original.required, config=original.config)
        _create_options(copy, (OptionSpec(o.value, o.label, o.label_en, o.is_missing) for o in original.options.all()))
        by_key[copy.key] = copy
    for original in originals:
        if original.condition_question_id:
            copy = by_key[original.key]
            copy.condition_question = by_key.get(original.condition_question.key)
            copy.condition_values = list(original.condition_values) if copy.condition_question else []
            copy.save(update_fields=["condition_question", "condition_values"])


def _create_from_template(survey: Survey) -> None:
    template = template_for(survey.kind)
    by_key: dict[str, Question] = {}
    for position, spec in enumerate(template.questions):
        question = Question.objects.create(
            survey=survey, position=position, page=spec.page, kind=spec.kind, key=spec.key, text=spec.text,
            text_en=spec.text_en, help_text=spec.help_text, help_text_en=spec.help_text_en, required=spec.required,
            config=dict(spec.config))
        _create_options(question, spec.options or fixed_options(spec.kind))
        by_key[spec.key] = question
    for spec in template.questions:
        if spec.condition:
            question = by_key[spec.key]
            question.condition_question = by_key[spec.condition.key]
            question.condition_values = list(spec.condition.values)
            question.save(update_fields=["condition_question", "condition_values"])


def survey_create(*, project, kind: str, user, title: str | None = None, baseline: Survey | None = None) -> Survey:
    """A new draft survey with the questions of the kind's template; a follow-up with a baseline
    copies the baseline's questions instead, so that keys and values match."""
    if kind not in Survey.Kind.values:
        raise ValidationError({"kind": UNKNOWN_KIND})
    _validate_baseline(project=project, kind=kind, baseline=baseline)
    template = template_for(kind)
    title = (title or "").strip() or template.title
    with transaction.atomic():
        survey = Survey.objects.create(
            project=project, kind=kind, title=title[:200], title_en=template.title_en if title == template.title else "",
            intro=template.intro, intro_en=template.intro_en, baseline=baseline, created_by=user)
        if baseline is not None:
            _copy_questions(source=baseline, target=survey)
        else:
            _create_from_template(survey)
        audit_record(project=project, actor=user, action="survey.created", target=survey,
                     summary=_("Created the survey “%(title)s”") % {"title": survey.title})
    return survey


def survey_update_settings(*, survey: Survey, user, **fields: Any) -> Survey:
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError("Not a survey setting: " + ", ".join(sorted(unknown)))
    if "title" in fields and not (fields["title"] or "").strip():
        raise ValidationError({"title": TITLE_REQUIRED})
    with transaction.atomic():
        changes = changed_fields(survey, fields)
        for name, value in fields.items():
            setattr(survey, name, value)
        survey.save()
        if changes:
            audit_record(project=survey.project, actor=user, action="survey.updated", target=survey, changes=changes,
                         summary=_("Changed the settings of the survey “%(title)s”") % {"title": survey.title})
    return survey


def survey_delete(*, survey: Survey, user) -> None:
    project, title, pk = survey.project, survey.title, survey.pk
    with transaction.atomic():
        responses = Response.objects.filter(survey=survey).count()
        survey.delete()
        audit_record(project=project, actor=user, action="survey.deleted",
                     summary=_("Deleted the survey “%(title)s” (#%(pk)s); responses deleted with it: %(n)s")
                     % {"title": title, "pk": pk, "n": responses})


# --- questions ------------------------------------------------------------------------------------

def _validate_key(survey: Survey, key: str, exclude: int | None = None) -> None:
    if not KEY_RE.match(key or ""):
        raise ValidationError({"key": KEY_INVALID})
    if Question.objects.filter(survey=survey, key=key).exclude(pk=exclude).exists():
        raise ValidationError({"key": KEY_TAKEN})


def _max_page(survey: Survey) -> int:
    return Question.objects.filter(survey=survey).aggregate(m=Max("page"))["m"] or 1


def question_add(*, survey: Survey, kind: str, user, text: str, text_en: str = "", key: str | None = None,
                 page: int | None = None, help_text: str = "", help_text_en: str = "", required: bool = False,
                 config: dict | None = None, options: Iterable[tuple[str, str]] = ()) -> Question:
    """Add a question at the end of `page` (default: the last page; the page after it starts a new
    one). Fixed-option kinds get their options; single and multiple choice get `options`
    as (label, English label) pairs."""
    if kind not in Question.Kind.values:
        raise ValidationError({"kind": UNKNOWN_QUESTION_KIND})
    if not (text or "").strip():
        raise ValidationError({"text": TEXT_REQUIRED})
    with transaction.atomic():
        Survey.objects.select_for_update().filter(pk=survey.pk).first()
        last_page = _max_page(survey)
        page = last_page if page is None else int(page)
        if not 1 <= page <= last_page + 1:
            raise ValidationError({"page": PAGE_INVALID})
        taken = set(Question.objects.filter(survey=survey).values_list("key", flat=True))
        if key:
            _validate_key(survey, key)
        else:
            key = _slug_key(text, taken)
        config = clean_config(kind, config if config is not None else default_config(kind))
        position = (Question.objects.filter(survey=survey).aggregate(m=Max("position"))["m"] or 0) + 1
        question = Question.objects.create(
            survey=survey, kind=kind, key=key, text=text.strip(), text_en=text_en.strip(), page=page,
            position=position, help_text=help_text, help_text_en=help_text_en, required=required, config=config)
        if key in PROTECTED_KEYS:
            # The indicator question by its key: it asks with the bank's options, or it would not compare.
            question.kind = Question.Kind.SINGLE
            question.save(update_fields=["kind"])
            _create_options(question, SAFE_EVENING_OPTIONS)
        elif kind in Question.FIXED_OPTION_KINDS:
            _create_options(question, fixed_options(kind))
        elif kind in Question.CHOICE_KINDS:
            values: set[str] = set()
            specs = []
            for label, label_en in options:
                if not (label or "").strip():
                    continue
                value = _slug_key(label, values, VALUE_RE, fallback="option")
                values.add(value)
                specs.append(OptionSpec(value, label.strip(), (label_en or "").strip()))
            _create_options(question, specs)
        _renumber(_ordered(survey))
        survey_touch(survey)
        audit_record(project=survey.project, actor=user, action="survey.question_added", target=question,
                     summary=_("Added the question “%(text)s” to the survey “%(title)s”")
                     % {"text": question.text[:100], "title": survey.title})
    question.refresh_from_db()
    return question


def _change_kind(question: Question, new_kind: str) -> None:
    """Change a question's type (only before any response): fixed kinds get their fixed options,
    kinds without options lose them; a question others depend on must stay a choice with its options."""
    old_kind = question.kind
    keeps_options = new_kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and old_kind in Question.CHOICE_KINDS
    dependants = list(question.dependants.all())
    if dependants and not keeps_options:
        raise ValidationError({"kind": HAS_DEPENDANTS % {"questions": _dependants_text(dependants)}})
    if not keeps_options:
        question.options.all().delete()
        if new_kind in Question.FIXED_OPTION_KINDS:
            _create_options(question, fixed_options(new_kind))


def question_update(*, question: Question, user, **fields: Any) -> Question:
    unknown = set(fields) - set(QUESTION_FIELDS)
    if unknown:
        raise TypeError("Not a question field: " + ", ".join(sorted(unknown)))
    survey = question.survey
    if "text" in fields and not (fields["text"] or "").strip():
        raise ValidationError({"text": TEXT_REQUIRED})
    kind = fields.get("kind", question.kind)
    if kind not in Question.Kind.values:
        raise ValidationError({"kind": UNKNOWN_QUESTION_KIND})
    structural = (kind != question.kind) or ("key" in fields and fields["key"] != question.key)
    if kind == Question.Kind.MAP and "config" in fields:
        # Removing a map category would leave answers with a category the survey no longer knows.
        old = {c.get("value") for c in (question.config or {}).get("categories", [])}
        new = {c.get("value") for c in (fields["config"] or {}).get("categories") or []}
        structural = structural or bool(new and old - new)
    with transaction.atomic():
        if structural and question.key in PROTECTED_KEYS:
            raise ValidationError(INDICATOR_PROTECTED, code="protected")
        if structural:
            _refuse_if_answered(survey)
        if "key" in fields and fields["key"] != question.key:
            if fields["key"] in PROTECTED_KEYS:
                raise ValidationError({"key": KEY_RESERVED})
            _validate_key(survey, fields["key"], exclude=question.pk)
        if "config" in fields or kind != question.kind:
            fields["config"] = clean_config(kind, fields.get("config", default_config(kind)))
        if "page" in fields:
            page = int(fields["page"])
            if not 1 <= page <= _max_page(survey) + 1:
                raise ValidationError({"page": PAGE_INVALID})
        if kind != question.kind:
            _change_kind(question, kind)
        changes = changed_fields(question, fields)
        moved_page = "page" in changes
        for name, value in fields.items():
            setattr(question, name, value)
        if moved_page:
            question.position = 10**6  # to the end of its new page
        question.save()
        if moved_page:
            ordered = _ordered(survey)
            _check_conditions_backwards(ordered)
            _renumber(ordered)
        survey_touch(survey)
        if changes:
            audit_record(project=survey.project, actor=user, action="survey.question_updated", target=question,
                         changes={k: v for k, v in changes.items() if k != "config"},
                         summary=_("Changed the question “%(text)s”") % {"text": question.text[:100]})
    question.refresh_from_db()
    return question


def question_move(*, question: Question, user, direction: str | None = None, position: int | None = None) -> Question:
    """Move a question one step "up" or "down" (across the page boundary onto the neighbouring page),
    or to `position` (0-based) within its page. Refused when a question would come before the
    question it depends on."""
    survey = question.survey
    with transaction.atomic():
        Survey.objects.select_for_update().filter(pk=survey.pk).first()
        ordered = _ordered(survey)
        i = next(n for n, q in enumerate(ordered) if q.pk == question.pk)
        current = ordered[i]
        if direction == "up" and i > 0:
            before = ordered[i - 1]
            if before.page == current.page:
                ordered[i - 1], ordered[i] = current, before
            else:
                current.page = before.page  # last on the page before
        elif direction == "down" and i < len(ordered) - 1:
            after = ordered[i + 1]
            if after.page == current.page:
                ordered[i], ordered[i + 1] = after, current
            else:
                current.page = after.page  # first on the next page
        elif position is not None:
            same_page = [q for q in ordered if q.page == current.page and q.pk != current.pk]
            same_page.insert(max(0, min(int(position), len(same_page))), current)
            ordered = sorted((q for q in ordered if q.page != current.page), key=lambda q: (q.page, q.position))
            ordered = sorted(ordered + same_page, key=lambda q: q.page)  # stable: keeps the order within pages
        _check_conditions_backwards(ordered)
        _renumber(ordered)
        survey_touch(survey)
        audit_record(project=survey.project, actor=user, action="survey.question_moved", target=current,
                     summary=_("Moved the question “%(text)s”") % {"text": current.text[:100]})
    question.refresh_from_db()
    return question


def question_delete(*, question: Question, user) -> None:
    survey = question.survey
    with transaction.atomic():
        _refuse_if_answered(survey)
        dependants = list(question.dependants.all())
        if dependants:
            raise ValidationError(HAS_DEPENDANTS % {"questions": _dependants_text(dependants)}, code="dependants")
        text = question.text
        question.delete()
        _renumber(_ordered(survey))
        survey_touch(survey)
        audit_record(project=survey.project, actor=user, action="survey.question_deleted", target=survey,
                     summary=_("Removed the question “%(text)s” from the survey “%(title)s”")
                     % {"text": text[:100], "title": survey.title})


def question_set_condition(*, question: Question, user, condition_question: Question | None = None,
                           values: Iterable[str] = ()) -> Question:
    """Show `question` only when the earlier choice question `condition_question` was answered with
    one of `values` (option values); None removes the condition."""
    values = [v for v in dict.fromkeys(values) if v]
    survey = question.survey
    with transaction.atomic():
        if condition_question is None:
            question.condition_question, question.condition_values = None, []
        else:
            if condition_question.survey_id != survey.pk or condition_question.pk == question.pk:
                raise ValidationError({"condition_question": CONDITION_NOT_EARLIER})
            ordered = [q.pk for q in _ordered(survey)]
            if ordered.index(condition_question.pk) >= ordered.index(question.pk):
                raise ValidationError({"condition_question": CONDITION_NOT_EARLIER})
            if condition_question.kind not in Question.CHOICE_KINDS:
                raise ValidationError({"condition_question": CONDITION_NOT_CHOICE})
            if not values:
                raise ValidationError({"condition_values": CONDITION_VALUES_REQUIRED})
            known = set(condition_question.options.values_list("value", flat=True))
            if not set(values) <= known:
                raise ValidationError({"condition_values": CONDITION_UNKNOWN_VALUE})
            question.condition_question, question.condition_values = condition_question, values
        question.save(update_fields=["condition_question", "condition_values"])
        survey_touch(survey)
        audit_record(project=survey.project, actor=user, action="survey.condition_set", target=question,
                     summary=_("Changed when the question “%(text)s” is shown") % {"text": question.text[:100]})
    return question
