"""Writes of the survey builder: the answer options of single and multiple choice questions (the
other choice kinds have fixed options, see surveys.bank.options). Values are frozen once the survey
has responses, and an option a display condition uses cannot be removed."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from trygga_platser.audit.services import audit_record, changed_fields

from ..models import Option, Question
from ..selectors.builder import PROTECTED_KEYS
from .builder import (
    FIXED_OPTIONS,
    INDICATOR_PROTECTED,
    KEY_INVALID,
    LABEL_REQUIRED,
    NOT_CHOICE,
    OPTION_IN_CONDITION,
    VALUE_RE,
    VALUE_TAKEN,
    _dependants_text,
    _refuse_if_answered,
    _slug_key,
    survey_touch,
)

OPTION_FIELDS = ("label", "label_en", "value", "is_missing")


def _editable_options(question: Question) -> None:
    if question.kind in Question.FIXED_OPTION_KINDS:
        raise ValidationError(FIXED_OPTIONS, code="fixed")
    if question.kind not in Question.CHOICE_KINDS:
        raise ValidationError(NOT_CHOICE, code="not_choice")


def _refuse_if_protected(question: Question) -> None:
    if question.key in PROTECTED_KEYS:
        raise ValidationError(INDICATOR_PROTECTED, code="protected")


def _validate_value(question: Question, value: str, exclude: int | None = None) -> None:
    if not VALUE_RE.match(value or ""):
        raise ValidationError({"value": KEY_INVALID})
    if Option.objects.filter(question=question, value=value).exclude(pk=exclude).exists():
        raise ValidationError({"value": VALUE_TAKEN})


def _conditions_using(option: Option) -> list[Question]:
    return [q for q in option.question.dependants.all() if option.value in (q.condition_values or [])]


def option_add(*, question: Question, user, label: str, label_en: str = "", value: str | None = None,
               is_missing: bool = False) -> Option:
    _editable_options(question)
    _refuse_if_protected(question)
    if not (label or "").strip():
        raise ValidationError({"label": LABEL_REQUIRED})
    with transaction.atomic():
        taken = set(question.options.values_list("value", flat=True))
        if value:
            _validate_value(question, value)
        else:
            value = _slug_key(label, taken, VALUE_RE, fallback="option")
        position = (question.options.aggregate(m=Max("position"))["m"] or 0) + 1
        option = Option.objects.create(question=question, value=value, label=label.strip(),
                                       label_en=(label_en or "").strip(), is_missing=is_missing, position=position)
        survey_touch(question.survey)
        audit_record(project=question.survey.project, actor=user, action="survey.option_added", target=option,
                     summary=_("Added the answer option “%(label)s” to “%(text)s”")
                     % {"label": option.label, "text": question.text[:100]})
    return option


def option_update(*, option: Option, user, **fields: Any) -> Option:
    unknown = set(fields) - set(OPTION_FIELDS)
    if unknown:
        raise TypeError("Not an option field: " + ", ".join(sorted(unknown)))
    question = option.question
    _editable_options(question)
    if "label" in fields and not (fields["label"] or "").strip():
        raise ValidationError({"label": LABEL_REQUIRED})
    if any(name in fields and fields[name] != getattr(option, name) for name in ("value", "is_missing")):
        _refuse_if_protected(question)
    with transaction.atomic():
        if "value" in fields and fields["value"] != option.value:
            _refuse_if_answered(question.survey)
            _validate_value(question, fields["value"], exclude=option.pk)
            using = _conditions_using(option)
            if using:
                raise ValidationError({"value": OPTION_IN_CONDITION % {"questions": _dependants_text(using)}})
        changes = changed_fields(option, fields)
        for name, value in fields.items():
            setattr(option, name, value)
        option.save()
        survey_touch(question.survey)
        if changes:
            audit_record(project=question.survey.project, actor=user, action="survey.option_updated", target=option,
                         changes=changes, summary=_("Changed the answer option “%(label)s”") % {"label": option.label})
    return option


def option_delete(*, option: Option, user) -> None:
    question = option.question
    _editable_options(question)
    _refuse_if_protected(question)
    with transaction.atomic():
        _refuse_if_answered(question.survey)
        using = _conditions_using(option)
        if using:
            raise ValidationError(OPTION_IN_CONDITION % {"questions": _dependants_text(using)}, code="condition")
        label = option.label
        option.delete()
        survey_touch(question.survey)
        audit_record(project=question.survey.project, actor=user, action="survey.option_deleted", target=question,
                     summary=_("Removed the answer option “%(label)s” from “%(text)s”")
                     % {"label": label, "text": question.text[:100]})


def option_move(*, option: Option, user, direction: str) -> Option:
    question = option.question
    _editable_options(question)
    with transaction.atomic():
        options = list(question.options.order_by("position", "pk"))
        i = next(n for n, o in enumerate(options) if o.pk == option.pk)
        j = i - 1 if direction == "up" else i + 1
        if 0 <= j < len(options):
            options[i], options[j] = options[j], options[i]
        for position, o in enumerate(options):
            o.position = position
        Option.objects.bulk_update(options, ["position"])
        survey_touch(question.survey)
        audit_record(project=question.survey.project, actor=user, action="survey.option_moved", target=option,
                     summary=_("Moved the answer option “%(label)s”") % {"label": option.label})
    option.refresh_from_db()
    return option
