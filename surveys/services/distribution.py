"""Writes of a survey's distribution (SPEC §5.2): publish with open and close dates, change the
schedule (dates, public link, reminder days), close now.

Publishing is what makes the public link answerable and the personal invitations go out: the
invitations of a survey that opens today are queued right after commit; those of a survey that opens
later are queued by the daily reminder task on the day it opens (services.invitations).
"""
from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygga_platser.audit.services import audit_record, changed_fields

from ..models import MAX_REMINDERS, Survey

ALREADY_PUBLISHED = _("The survey is already published.")
NOT_PUBLISHED = _("The survey is not published.")
ALREADY_CLOSED = _("The survey is already closed.")
NO_QUESTIONS = _("Add at least one question before publishing the survey.")
OPENS_REQUIRED = _("Give the day the survey opens.")
CLOSES_REQUIRED = _("Give the day the survey closes.")
OPENS_IN_PAST = _("The survey cannot open before today.")
CLOSES_BEFORE_OPENS = _("The survey must close on or after the day it opens.")
CLOSES_IN_PAST = _("The closing day has already passed.")
TOO_MANY_REMINDERS = _("At most %(max)s reminders.")
REMINDER_OUT_OF_RANGE = _("A reminder is sent 1 to 90 days after the invitation.")
REMINDERS_NOT_INCREASING = _("Give the reminder days in increasing order, each one later than the one before.")

REMINDER_MIN_DAYS = 1
REMINDER_MAX_DAYS = 90


def reminder_days_validate(days: list[int]) -> list[int]:
    """The reminder schedule as it may be stored; raises ValidationError (field "reminder_days")."""
    if len(days) > MAX_REMINDERS:
        raise ValidationError({"reminder_days": TOO_MANY_REMINDERS % {"max": MAX_REMINDERS}})
    if any(not isinstance(d, int) or not REMINDER_MIN_DAYS <= d <= REMINDER_MAX_DAYS for d in days):
        raise ValidationError({"reminder_days": REMINDER_OUT_OF_RANGE})
    if any(later <= earlier for earlier, later in pairwise(days)):
        raise ValidationError({"reminder_days": REMINDERS_NOT_INCREASING})
    return list(days)


def _dates_validate(*, opens_on: date | None, closes_on: date | None, today: date, publishing: bool,
                    closes_before: date | None = None) -> None:
    errors: dict[str, list] = {}
    if opens_on is None:
        errors.setdefault("opens_on", []).append(OPENS_REQUIRED)
    elif publishing and opens_on < today:
        errors.setdefault("opens_on", []).append(OPENS_IN_PAST)
    if closes_on is None:
        errors.setdefault("closes_on", []).append(CLOSES_REQUIRED)
    elif opens_on is not None and closes_on < opens_on:
        errors.setdefault("closes_on", []).append(CLOSES_BEFORE_OPENS)
    elif closes_on < today and closes_on != closes_before:
        # A closed survey keeps its past closing day when other settings change.
        errors.setdefault("closes_on", []).append(CLOSES_IN_PAST)
    if errors:
        raise ValidationError(errors)


def survey_publish(*, survey: Survey, user, opens_on: date | None, closes_on: date | None) -> Survey:
    """Publish a draft: from `opens_on` to `closes_on` (both inclusive) it takes answers."""
    from .invitations import invitations_send_later

    today = timezone.localdate()
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.published_at is not None:
            raise ValidationError(ALREADY_PUBLISHED)
        if not survey.questions.exists():
            raise ValidationError(NO_QUESTIONS)
        _dates_validate(opens_on=opens_on, closes_on=closes_on, today=today, publishing=True)
        survey.published_at = timezone.now()
        survey.opens_on, survey.closes_on = opens_on, closes_on
        survey.save(update_fields=["published_at", "opens_on", "closes_on", "updated_at"])
        audit_record(project=survey.project, actor=user, action="survey.published", target=survey,
                     summary=_("Published the survey “%(title)s”, open %(opens)s–%(closes)s.") % {
                         "title": survey.title, "opens": opens_on.isoformat(), "closes": closes_on.isoformat()})
        if survey.is_open(today):
            invitations_send_later(survey=survey)
    return survey


def survey_schedule_update(
    *,
    survey: Survey,
    user,
    opens_on: date | None,
    closes_on: date | None,
    public_link_enabled: bool,
    reminder_days: list[int],
) -> Survey:
    """Change the dates, the public link and the reminder schedule (drafts and published surveys)."""
    from .invitations import invitations_send_later

    today = timezone.localdate()
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        reminder_days = reminder_days_validate(reminder_days)
        if survey.published_at is not None:
            # A published survey keeps its dates consistent; the opening day of a survey that has
            # already opened is history and may stay in the past.
            _dates_validate(opens_on=opens_on, closes_on=closes_on, today=today, publishing=False,
                            closes_before=survey.closes_on)
        elif opens_on and closes_on and closes_on < opens_on:
            raise ValidationError({"closes_on": CLOSES_BEFORE_OPENS})
        values = {"opens_on": opens_on, "closes_on": closes_on, "public_link_enabled": public_link_enabled,
                  "reminder_days": reminder_days}
        changes = changed_fields(survey, values)
        if not changes:
            return survey
        was_open = survey.is_open(today)
        for name, value in values.items():
            setattr(survey, name, value)
        survey.save(update_fields=[*values, "updated_at"])
        audit_record(project=survey.project, actor=user, action="survey.schedule_updated", target=survey,
                     summary=_("Changed the distribution of the survey “%(title)s”.") % {"title": survey.title},
                     changes=changes)
        if survey.is_open(today) and not was_open:
            invitations_send_later(survey=survey)
    return survey


def survey_close_now(*, survey: Survey, user) -> Survey:
    """Stop taking answers from now on: the survey closed yesterday, so today it is closed."""
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.published_at is None:
            raise ValidationError(NOT_PUBLISHED)
        if survey.state(today) == Survey.State.CLOSED:
            raise ValidationError(ALREADY_CLOSED)
        changes = {"closes_on": (survey.closes_on, yesterday)}
        survey.closes_on = yesterday
        if survey.opens_on is None or survey.opens_on > yesterday:
            # A survey closed before (or on) its first day never opened; the check constraint wants
            # the closing day on or after the opening day.
            changes["opens_on"] = (survey.opens_on, yesterday)
            survey.opens_on = yesterday
        survey.save(update_fields=["opens_on", "closes_on", "updated_at"])
        audit_record(project=survey.project, actor=user, action="survey.closed", target=survey,
                     summary=_("Closed the survey “%(title)s”.") % {"title": survey.title}, changes=changes)
    return survey
