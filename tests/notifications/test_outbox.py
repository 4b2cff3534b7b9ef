"""The e-mail outbox (SPEC §10; ARCHITECTURE.md habit 4): recorded once, sent at most once, retried
with back-off on temporary SMTP failures and given up with a reason after a cap.

The SMTP tests talk to a real SMTP server (aiosmtpd) on localhost through Django's SMTP backend, so
the retry paths are driven by real smtplib exceptions, not by mocks.
"""
from __future__ import annotations

import pytest
from celery.signals import task_retry
from django.core import mail

from trygga_platser.notifications.models import OutboundEmail
from trygga_platser.notifications.services import Attachment, TransientSendError, email_deliver, email_queue
from trygga_platser.notifications.tasks import email_send

from .smtp_server import MAILBOX_UNAVAILABLE, TEMPORARY_FAILURE, RunningSMTPServer, SMTPRecorder, free_port

pytestmark = pytest.mark.django_db

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Trygga Platser//SV\r\nBEGIN:VEVENT\r\n"
    "UID:meeting-42@trygga-platser.example\r\nDTSTART:20260310T170000Z\r\nSUMMARY:Platsvandring\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.fixture
def smtp_settings(settings):
    """Point Django's real SMTP backend at a port; returns a function taking the port."""

    def use(port: int) -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5

    return use


@pytest.fixture
def retries_seen():
    """Countdowns of the Celery retries the send task asks for, in order."""
    seen: list[float] = []

    def record(sender=None, request=None, reason=None, **kwargs):  # noqa: ARG001 - signal signature
        if getattr(sender, "name", None) == email_send.name:  # `email_send` is a lazy proxy
            seen.append(reason.when)

    task_retry.connect(record, weak=False)
    yield seen
    task_retry.disconnect(record)


def _queue(django_capture_on_commit_callbacks, *, key="meeting-42-invite-7", **overrides):
    """Queue a message without running the scheduled send; returns the row and the callbacks."""
    fields = {
        "key": key,
        "to": "anna@example.org",
        "subject": "Inbjudan: platsvandring på Avesta torg",
        "text": "Välkommen på platsvandring tisdag kl. 18.",
        "html": "<p>Välkommen på <strong>platsvandring</strong> tisdag kl. 18.</p>",
        "attachments": (Attachment("platsvandring.ics", ICS.encode(), "text/calendar"),),
        **overrides,
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email, created = email_queue(**fields)
    return email, created, callbacks


# ------------------------------------------------------------------------------------------------
# Queuing and sending are idempotent
# ------------------------------------------------------------------------------------------------
def test_queuing_the_same_key_twice_records_one_row_and_sends_once(eager_tasks, django_capture_on_commit_callbacks):
    # Given a message queued and committed, its send task run (eagerly) after commit
    with django_capture_on_commit_callbacks(execute=True) as first:
        email, created = email_queue(key="digest-2026-w10-user-3", to="anna@example.org", subject="Veckosammanfattning",
                                     text="Tre åtgärder är försenade.")
    # When the same key is queued again (a retried request, a redelivered task)
    with django_capture_on_commit_callbacks(execute=True) as second:
        again, created_again = email_queue(key="digest-2026-w10-user-3", to="anna@example.org",
                                           subject="Veckosammanfattning", text="Tre åtgärder är försenade.")
    # Then there is one row, one send was scheduled, and one message left
    assert (created, created_again) == (True, False)
    assert again.pk == email.pk
    assert OutboundEmail.objects.filter(key="digest-2026-w10-user-3").count() == 1
    assert (len(first), len(second)) == (1, 0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Veckosammanfattning"
    assert OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.SENT


def test_queuing_again_keeps_the_first_content(django_capture_on_commit_callbacks):
    # Given a queued message
    email, _, _ = _queue(django_capture_on_commit_callbacks)
    # When the same key is queued with other content
    again, created, callbacks = _queue(django_capture_on_commit_callbacks, subject="Något annat", to="bo@example.org",
                                       attachments=())
    # Then the recorded message is the first one, attachments included, and nothing is scheduled
    again.refresh_from_db()
    assert not created and callbacks == []
    assert (again.pk, again.subject, again.to) == (email.pk, "Inbjudan: platsvandring på Avesta torg", "anna@example.org")
    assert [a.filename for a in again.attachments.all()] == ["platsvandring.ics"]


def test_delivering_one_row_twice_sends_one_message(django_capture_on_commit_callbacks):
    # Given a queued message
    email, _, _ = _queue(django_capture_on_commit_callbacks)
    # When the delivery runs twice (a redelivered task)
    results = [email_deliver(email_id=email.pk), email_deliver(email_id=email.pk)]
    # Then one message went out and the row says so
    assert results == [True, False]
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 1
    assert email.sent_at is not None and email.claimed_at is not None


def test_running_the_send_task_twice_sends_one_message(django_capture_on_commit_callbacks):
    # Given a queued message
    email, _, _ = _queue(django_capture_on_commit_callbacks)
    # When the Celery task runs twice for it
    first = email_send.apply(args=[email.pk])
    second = email_send.apply(args=[email.pk])
    # Then only the first run sent it
    assert (first.get(), second.get()) == (True, False)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["X-Trygga-Platser-Key"] == "meeting-42-invite-7"


def test_a_row_another_run_has_claimed_is_left_alone(django_capture_on_commit_callbacks):
    # Given a message another worker is sending right now
    email, _, _ = _queue(django_capture_on_commit_callbacks)
    OutboundEmail.objects.filter(pk=email.pk).update(status=OutboundEmail.Status.SENDING)
    # When this run gets to it
    sent = email_deliver(email_id=email.pk)
    # Then it sends nothing and leaves the row as it was
    assert sent is False
    assert mail.outbox == []
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENDING, 0)


def test_a_missing_row_is_nothing_to_do():
    # Given no row with this id; when the task runs; then it returns quietly
    assert email_deliver(email_id=987654) is False
    assert mail.outbox == []


# ------------------------------------------------------------------------------------------------
# Against a real SMTP server
# ------------------------------------------------------------------------------------------------
@pytest.mark.smtp
def test_message_arrives_with_both_bodies_the_attachment_and_the_key(settings, smtp_settings,
                                                                      django_capture_on_commit_callbacks):
    # Given a real SMTP server and a queued invitation with an HTML body and a calendar file
    email, _, _ = _queue(django_capture_on_commit_callbacks)
    with RunningSMTPServer(SMTPRecorder()) as server:
        smtp_settings(server.port)
        # When it is delivered
        sent = email_deliver(email_id=email.pk)
    # Then the server received exactly that message
    assert sent is True
    assert len(server.handler.messages) == 1
    message = server.handler.messages[0]
    assert server.handler.envelopes[0][1] == ["anna@example.org"]
    assert message["Subject"] == "Inbjudan: platsvandring på Avesta torg"
    assert message["To"] == "anna@example.org"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["X-Trygga-Platser-Key"] == "meeting-42-invite-7"
    assert message.get_body(preferencelist=("plain",)).get_content().strip() == (
        "Välkommen på platsvandring tisdag kl. 18."
    )
    html = message.get_body(preferencelist=("html",))
    assert html.get_content_type() == "text/html"
    assert "<strong>platsvandring</strong>" in html.get_content()
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["platsvandring.ics"]
    assert attachments[0].get_content_type() == "text/calendar"
    assert "SUMMARY:Platsvandring" in attachments[0].get_content()
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutboundEmail.Status.SENT, 1, "")


@pytest.mark.smtp
@pytest.mark.parametrize("command", ["rcpt", "data"])
def test_a_temporary_failure_puts_the_row_back_and_a_later_attempt_delivers(smtp_settings, command,
                                                                             django_capture_on_commit_callbacks):
    # Given a server that answers 451 to the first RCPT TO (or DATA), then accepts
    email, _, _ = _queue(django_capture_on_commit_callbacks)
    handler = SMTPRecorder(**{f"fail_{command}": [TEMPORARY_FAILURE]})
    with RunningSMTPServer(handler) as server:
        smtp_settings(server.port)
        # When the first attempt meets the failure
        with pytest.raises(TransientSendError) as raised:
            email_deliver(email_id=email.pk)
        # Then the row is waiting again, with the attempt and the reason recorded
        email.refresh_from_db()
        assert email.status == OutboundEmail.Status.PENDING
        assert email.attempts == 1
        assert "451" in email.last_error and "451" in str(raised.value)
        assert handler.messages == []
        # And when a later attempt runs, the message is delivered once
        assert email_deliver(email_id=email.pk) is True
    assert len(handler.messages) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutboundEmail.Status.SENT, 2, "")


@pytest.mark.smtp
def test_attempts_are_capped_and_the_row_ends_failed_with_a_reason(settings, smtp_settings,
                                                                    django_capture_on_commit_callbacks):
    # Given a server that never accepts and a cap of two attempts
    settings.OUTBOX_MAX_ATTEMPTS = 2
    email, _, _ = _queue(django_capture_on_commit_callbacks)
    with RunningSMTPServer(SMTPRecorder(always_fail=TEMPORARY_FAILURE)) as server:
        smtp_settings(server.port)
        # When the first attempt fails it asks for a retry
        with pytest.raises(TransientSendError):
            email_deliver(email_id=email.pk)
        # And when the last allowed attempt fails, it gives up without raising
        last = email_deliver(email_id=email.pk)
        # And any later run finds nothing to do
        after = email_deliver(email_id=email.pk)
    # Then the row is failed with the server's reason
    assert (last, after) == (False, False)
    assert server.handler.data_commands == 2
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert email.attempts == 2
    assert "SMTPDataError" in email.last_error and "451" in email.last_error
    assert email.sent_at is None


@pytest.mark.smtp
def test_a_permanent_refusal_fails_at_once_without_retrying(smtp_settings, django_capture_on_commit_callbacks):
    # Given a server that says the mailbox does not exist (5xx: retrying cannot help)
    email, _, _ = _queue(django_capture_on_commit_callbacks)
    with RunningSMTPServer(SMTPRecorder(fail_rcpt=[MAILBOX_UNAVAILABLE])) as server:
        smtp_settings(server.port)
        # When it is delivered
        sent = email_deliver(email_id=email.pk)
    # Then the row fails on the first attempt with the reason, and no retry is asked for
    assert sent is False
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.FAILED, 1)
    assert "550" in email.last_error


@pytest.mark.smtp
def test_a_server_that_is_down_counts_as_temporary(smtp_settings, django_capture_on_commit_callbacks):
    # Given a mail server that is not listening
    email, _, _ = _queue(django_capture_on_commit_callbacks)
    smtp_settings(free_port())
    # When a delivery is attempted
    with pytest.raises(TransientSendError):
        email_deliver(email_id=email.pk)
    # Then the row waits for another try, with the reason
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.PENDING, 1)
    assert "ConnectionRefusedError" in email.last_error


@pytest.mark.smtp
def test_the_send_task_retries_with_growing_back_off_until_delivered(settings, smtp_settings, retries_seen,
                                                                     django_capture_on_commit_callbacks):
    # Given a server that fails DATA twice, then accepts
    settings.OUTBOX_RETRY_BACKOFF = 7
    email, _, _ = _queue(django_capture_on_commit_callbacks)
    handler = SMTPRecorder(fail_data=[TEMPORARY_FAILURE, TEMPORARY_FAILURE])
    with RunningSMTPServer(handler) as server:
        smtp_settings(server.port)
        # When the Celery task runs (apply() executes its retries in-process, ignoring countdowns)
        result = email_send.apply(args=[email.pk])
    # Then it asked for two retries with doubling back-off and the third attempt delivered
    assert result.get() is True
    assert retries_seen == [7, 14]
    assert len(handler.messages) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 3)


@pytest.mark.smtp
def test_the_send_task_stops_retrying_at_the_cap(settings, smtp_settings, retries_seen,
                                                 django_capture_on_commit_callbacks):
    # Given a server that never accepts and a cap of three attempts
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BACKOFF = 1
    email, _, _ = _queue(django_capture_on_commit_callbacks)
    with RunningSMTPServer(SMTPRecorder(always_fail=TEMPORARY_FAILURE)) as server:
        smtp_settings(server.port)
        # When the task runs
        result = email_send.apply(args=[email.pk])
    # Then it tried three times, retried twice, and ended without an error: the row tells why
    assert result.successful() and result.get() is False
    assert retries_seen == [1, 2]
    assert server.handler.data_commands == 3
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.FAILED, 3)
    assert "451" in email.last_error


@pytest.mark.smtp
def test_the_send_task_does_not_retry_a_permanent_refusal(smtp_settings, retries_seen,
                                                          django_capture_on_commit_callbacks):
    # Given a server that rejects the message itself (554)
    email, _, _ = _queue(django_capture_on_commit_callbacks)
    with RunningSMTPServer(SMTPRecorder(fail_data=["554 5.6.0 Message rejected"])) as server:
        smtp_settings(server.port)
        # When the task runs
        result = email_send.apply(args=[email.pk])
    # Then it gave up at once
    assert result.get() is False
    assert retries_seen == []
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.FAILED, 1)
