"""Writes of the outbox: queue a message once, send it at most once."""
from __future__ import annotations

import logging
import smtplib
import socket
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import OutboundAttachment, OutboundEmail

logger = logging.getLogger(__name__)

# Failures worth another try: the server or the network, not the message.
TRANSIENT_SMTP_ERRORS: tuple[type[BaseException], ...] = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPDataError,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPResponseException,
    socket.timeout,
    ConnectionError,
    OSError,
)


def _is_transient(exc: BaseException) -> bool:
    """Network trouble and 4xx replies may pass; a 5xx reply is final (RFC 5321 §4.2.1).

    `smtplib.SMTPException` is an `OSError`, so without this a "550 no such mailbox" would be
    retried until the attempts run out.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return any(not 500 <= code < 600 for code, _message in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return not 500 <= exc.smtp_code < 600
    return isinstance(exc, TRANSIENT_SMTP_ERRORS)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


class TransientSendError(Exception):
    """Sending failed for a reason that may pass; the row is back to pending."""


def email_queue(
    *,
    key: str,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    attachments: tuple[Attachment, ...] = (),
) -> tuple[OutboundEmail, bool]:
    """Record a message under a unique key and schedule its sending after commit.

    Queuing the same key again returns the existing row and schedules nothing.
    """
    from .tasks import email_send  # the task module imports this one

    with transaction.atomic():
        email, created = OutboundEmail.objects.get_or_create(
            key=key[:255],
            defaults={"to": to, "subject": subject[:255], "body_text": text, "body_html": html},
        )
        if created:
            OutboundAttachment.objects.bulk_create(
                OutboundAttachment(email=email, filename=a.filename, content=a.content, mimetype=a.mimetype)
                for a in attachments
            )
            email_send.delay_on_commit(email.pk)
    return email, created


def email_claim(*, email_id: int) -> OutboundEmail | None:
    """Move a pending row to `sending`; None when another run has it or it is done."""
    claimed = OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.PENDING).update(
        status=OutboundEmail.Status.SENDING, claimed_at=timezone.now()
    )
    if not claimed:
        return None
    return OutboundEmail.objects.prefetch_related("attachments").get(pk=email_id)


def email_deliver(*, email_id: int) -> bool:
    """Send one claimed message. True when sent; False when there was nothing to do.

    Raises TransientSendError after putting the row back to pending when a retry may help, and
    marks the row failed (with the reason) once the attempts are used up or the error is permanent.
    """
    email = email_claim(email_id=email_id)
    if email is None:
        return False
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        # Lets a receiving system drop a duplicate that a crash between sending and recording
        # could still produce.
        headers={"X-Trygga-Platser-Key": email.key},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments.all():
        message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    attempts = email.attempts + 1
    try:
        message.send(fail_silently=False)
    except TRANSIENT_SMTP_ERRORS as exc:
        reason = f"{type(exc).__name__}: {exc}"[:2000]
        if attempts >= settings.OUTBOX_MAX_ATTEMPTS or not _is_transient(exc):
            OutboundEmail.objects.filter(pk=email.pk).update(
                status=OutboundEmail.Status.FAILED, attempts=attempts, last_error=reason
            )
            logger.error("outbox.failed", extra={"email_id": email.pk, "reason": reason})
            return False
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=OutboundEmail.Status.PENDING, attempts=attempts, last_error=reason
        )
        logger.warning("outbox.retry", extra={"email_id": email.pk, "attempt": attempts, "reason": reason})
        raise TransientSendError(reason) from exc
    except Exception as exc:  # a malformed message will not get better by retrying
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=OutboundEmail.Status.FAILED, attempts=attempts, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        logger.exception("outbox.failed", extra={"email_id": email.pk})
        return False
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENT, attempts=attempts, sent_at=timezone.now(), last_error=""
    )
    logger.info("outbox.sent", extra={"email_id": email.pk})
    return True
