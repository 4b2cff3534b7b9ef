"""Celery tasks of the surveys app. Thin: call a service (ARCHITECTURE.md, habit 4)."""
from __future__ import annotations

from celery import shared_task

from .services.invitations import invitations_send, invitations_send_due
from .services.reminders import survey_reminders_send


@shared_task(ignore_result=True)
def survey_invitations_send(survey_id: int) -> int:
    """Queue a survey's pending invitations (after publishing or inviting). Safe to run twice."""
    return invitations_send(survey_id=survey_id)


@shared_task(ignore_result=True)
def survey_reminders() -> int:
    """Daily: invitations of surveys that opened today, then the reminders due to non-respondents.
    Each e-mail has its own outbox key and is claimed by a conditional UPDATE, so it is safe to repeat."""
    return invitations_send_due() + survey_reminders_send()
