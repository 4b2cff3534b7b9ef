"""Thin tasks: load the row, call the service (ARCHITECTURE.md, habit 4)."""
from __future__ import annotations

from celery import shared_task
from django.conf import settings

from .services import TransientSendError, email_deliver


@shared_task(bind=True, max_retries=None, ignore_result=True)
def email_send(self, email_id: int) -> bool:
    try:
        return email_deliver(email_id=email_id)
    except TransientSendError as exc:
        # Exponential back-off; the attempt cap lives on the row (OUTBOX_MAX_ATTEMPTS), so a task
        # that is redelivered or queued twice still stops at the same count.
        countdown = settings.OUTBOX_RETRY_BACKOFF * (2 ** min(self.request.retries, 8))
        raise self.retry(exc=exc, countdown=countdown) from exc
