"""Reminders to invitees who have not answered (SPEC §5.2, §10): run daily from Celery beat.

The n-th reminder (1-based) is due `survey.reminder_days[n - 1]` days after the invitation was
sent, goes only to invitations that are sent and not used, of surveys open today, and never beyond
MAX_REMINDERS. Each one is claimed with a conditional UPDATE of `reminders_sent` from n - 1 to n in
the same transaction as its outbox row (key ``survey-reminder:<invitation id>:<n>``), so a second
run — or two workers at once — can neither send a reminder twice nor skip one. At most one reminder
per invitation per day: a run that was missed catches up one reminder a day.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import MAX_REMINDERS, Invitation
from .invitations import invitation_email_queue, open_surveys_q


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def reminder_due_on(invitation: Invitation) -> date | None:
    """The day the invitation's next reminder is due, or None when no more are planned."""
    n = invitation.reminders_sent
    days = list(invitation.survey.reminder_days or [])
    if invitation.sent_at is None or n >= min(len(days), MAX_REMINDERS):
        return None
    return timezone.localtime(invitation.sent_at).date() + timedelta(days=days[n])


def reminder_candidates(*, today: date) -> QuerySet[Invitation]:
    """Sent, unanswered invitations of open surveys with reminders left and none sent today."""
    return (
        Invitation.objects.filter(open_surveys_q(today, "survey__"), sent_at__isnull=False, used_on__isnull=True,
                                  reminders_sent__lt=MAX_REMINDERS)
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=_start_of(today)))
        .select_related("survey__project__municipality")
        .order_by("pk")
    )


def survey_reminders_send(*, today: date | None = None) -> int:
    """Queue the reminders due today; returns how many were queued. Safe to run twice."""
    today = today or timezone.localdate()
    question_counts: dict[int, int] = {}
    queued = 0
    for invitation in reminder_candidates(today=today).iterator(chunk_size=500):
        due = reminder_due_on(invitation)
        if due is None or due > today:
            continue
        n = invitation.reminders_sent + 1
        survey = invitation.survey
        if survey.pk not in question_counts:
            question_counts[survey.pk] = survey.questions.count()
        with transaction.atomic():
            claimed = Invitation.objects.filter(
                pk=invitation.pk, reminders_sent=n - 1, used_on__isnull=True,
            ).update(reminders_sent=n, last_reminded_at=timezone.now())
            if claimed:
                queued += invitation_email_queue(invitation=invitation, survey=survey,
                                                 question_count=question_counts[survey.pk], reminder=n)
    return queued
