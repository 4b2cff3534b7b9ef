"""Celery tasks of the projects app. Thin: call a service (ARCHITECTURE.md, habit 4)."""
from __future__ import annotations

from celery import shared_task

from .services.meetings import meeting_reminders_send


@shared_task(ignore_result=True)
def meeting_reminders() -> int:
    """Remind participants of the meetings starting in 24–48 hours. Safe to run twice: every
    reminder has its own outbox key."""
    return meeting_reminders_send()

