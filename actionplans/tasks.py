"""Celery tasks of the action plan. Thin: call a service (ARCHITECTURE.md, habit 4)."""
from __future__ import annotations

from celery import shared_task

from .services.reminders import action_reminders_send, weekly_digests_send


@shared_task(ignore_result=True)
def action_reminders() -> int:
    """Due-soon and overdue reminders to the responsible people (daily). Safe to run twice: every
    reminder has its own outbox key per action, kind and day."""
    return action_reminders_send()


@shared_task(ignore_result=True)
def weekly_digests() -> int:
    """The weekly summary to each project's coordinators (Mondays). Keyed per user and ISO week."""
    return weekly_digests_send()
