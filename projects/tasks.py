"""Celery tasks of the projects app. Thin: call a service (ARCHITECTURE.md, habit 4)."""
from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from trygga_platser.celery import app

from .services.meetings import meeting_reminders_send


@shared_task(ignore_result=True)
def meeting_reminders() -> int:
    """Remind participants of the meetings starting in 24–48 hours. Safe to run twice: every
    reminder has its own outbox key."""
    return meeting_reminders_send()


# Celery beat imports the task modules (autodiscovery) before it reads the schedule, so the entry
# registered here is in it; `add_periodic_task` waits for the configuration if it is not read yet.
# https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html#entries
app.add_periodic_task(crontab(hour=7, minute=0), meeting_reminders.s(), name="projects.meeting-reminders")
