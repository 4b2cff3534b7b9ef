"""Personal survey invitations (SPEC §5.2, §10): lists read all or nothing, members picked, sent
through the outbox only while the survey is open, removed only when unanswered."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from surveys.models import Invitation
from surveys.services import invitations as service
from surveys.tasks import survey_invitations_send
from trygga_platser.audit.models import AuditEntry
from trygga_platser.notifications.models import OutboundEmail
from trygga_platser.tenancy.models import StakeholderCategory

from ..factories import ProjectMembershipFactory, UserFactory
from .factories import InvitationFactory
from .factories_distribution import distribution_url, survey_in

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------------------------
# Reading a list
# ------------------------------------------------------------------------------------------------

def test_a_semicolon_list_with_bom_header_codes_and_labels(world):
    # given what Swedish Excel saves: BOM, a header, semicolons, codes and labels in both languages
    survey = survey_in(world.project, state="open")
    with translation.override("sv"):
        owner_sv = str(StakeholderCategory.PROPERTY_OWNER.label)
    data = ("\ufeffe-post;kategori\r\nAnna@Example.org;polis\r\nbo@example.org;" + owner_sv.upper() + "\r\n"
            "\r\ncarl@example.org;Resident;en\r\n").encode()

    # when it is read
    preview = service.invitation_list_read(survey=survey, data=data)

    # then every line is understood
    assert not preview.has_errors, preview.error_rows
    assert [(r.email, r.category, r.language) for r in preview.rows] == [
        ("anna@example.org", StakeholderCategory.POLICE, ""),
        ("bo@example.org", StakeholderCategory.PROPERTY_OWNER, ""),
        ("carl@example.org", StakeholderCategory.RESIDENT, "en"),
    ]


def test_a_comma_list_without_header_and_without_category(world):
    survey = survey_in(world.project, state="open")
    preview = service.invitation_list_read(survey=survey, data="a@example.org,boende\nb@example.org\n")
    assert not preview.has_errors
    assert [r.category for r in preview.rows] == [StakeholderCategory.RESIDENT, StakeholderCategory.OTHER]


def test_errors_are_reported_by_line_number(world):
    # given a list with a bad address, an unknown category, a duplicate and an address already invited
    survey = survey_in(world.project, state="open")
    InvitationFactory(survey=survey, email="old@example.org")
    text = ("epost;kategori\n"
            "ok@example.org;polis\n"
            "not-an-address.org;polis\n"
            "x@example.org;astronaut\n"
            "OK@example.org;boende\n"
            "old@example.org;boende\n")

    preview = service.invitation_list_read(survey=survey, data=text)

    # then each wrong line is named with its line in the file and the reason
    errors = {row.line: row.errors for row in preview.error_rows}
    assert set(errors) == {3, 4, 5, 6}
    assert errors[3] == [str(service.ROW_BAD_EMAIL % {"value": "not-an-address.org"})]
    assert errors[4][0].startswith(str(service.ROW_UNKNOWN_CATEGORY).split("%(value)s")[0])
    assert errors[5] == [str(service.ROW_DUPLICATE % {"email": "ok@example.org", "line": 2})]
    assert errors[6] == [str(service.ROW_ALREADY_INVITED % {"email": "old@example.org"})]


@pytest.mark.parametrize(("data", "message"), [
    (b"", service.LIST_EMPTY),
    ("e-post;kategori\n", service.LIST_EMPTY),
    (b"\xff\xfe\x00\x00" * 10 + b"\x81\x8d", service.LIST_NOT_TEXT),
])
def test_file_level_errors(world, data, message):
    survey = survey_in(world.project, state="open")
    preview = service.invitation_list_read(survey=survey, data=data)
    assert preview.has_errors
    if message is service.LIST_NOT_TEXT:
        # cp1252 decodes almost anything; what matters is that nothing valid came out of it
        assert preview.file_errors or preview.error_rows
    else:
        assert preview.file_errors == [str(message)]


def test_too_many_rows(world):
    survey = survey_in(world.project, state="open")
    text = "\n".join(f"p{n}@example.org;boende" for n in range(service.MAX_ROWS + 1))
    assert service.invitation_list_read(survey=survey, data=text).file_errors == [str(service.LIST_TOO_MANY_ROWS)]


# ------------------------------------------------------------------------------------------------
# Creating
# ------------------------------------------------------------------------------------------------

def test_invitations_get_unique_tokens_and_are_audited(world):
    survey = survey_in(world.project, state="draft")
    created = service.invitations_create(survey=survey, user=world.project_coordinator, rows=[
        ("a@example.org", StakeholderCategory.POLICE, None), ("b@example.org", StakeholderCategory.RESIDENT, None)])
    tokens = {i.token for i in created}
    assert len(tokens) == 2 and all(len(t) >= 40 for t in tokens)
    assert AuditEntry.objects.filter(project=world.project, action="survey.invited").count() == 1


def test_creating_is_all_or_nothing(world):
    # given one address already invited
    survey = survey_in(world.project, state="draft")
    InvitationFactory(survey=survey, email="old@example.org")

    # when a batch with it and a new one is created
    with pytest.raises(ValidationError) as caught:
        service.invitations_create(survey=survey, user=world.project_coordinator, rows=[
            ("new@example.org", StakeholderCategory.POLICE, None), ("old@example.org", StakeholderCategory.POLICE, None)])

    # then nobody new is invited and the message names the address
    assert "old@example.org" in " ".join(caught.value.messages)
    assert not Invitation.objects.filter(email="new@example.org").exists()


def test_creating_refuses_bad_rows(world):
    survey = survey_in(world.project, state="draft")
    with pytest.raises(ValidationError) as caught:
        service.invitations_create(survey=survey, user=world.project_coordinator, rows=[
            ("nope", StakeholderCategory.POLICE, None), ("a@example.org", "astronaut", None),
            ("b@example.org", "polis", None), ("B@example.org", "polis", None)])
    text = " ".join(caught.value.messages)
    assert "nope" in text and "astronaut" in text and "b@example.org" in text
    assert not Invitation.objects.exists()
    with pytest.raises(ValidationError):
        service.invitations_create(survey=survey, user=world.project_coordinator, rows=[])


def test_a_closed_survey_takes_no_invitations(world):
    survey = survey_in(world.project, state="closed")
    with pytest.raises(ValidationError) as caught:
        service.invitations_create(survey=survey, user=world.project_coordinator,
                                   rows=[("a@example.org", "polis", None)])
    assert caught.value.messages == [str(service.SURVEY_CLOSED)]


# ------------------------------------------------------------------------------------------------
# Sending
# ------------------------------------------------------------------------------------------------

def test_inviting_to_an_open_survey_sends_once(world, django_capture_on_commit_callbacks):
    # given an open survey
    survey = survey_in(world.project, state="open", questions=9)

    # when two people are invited and the transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        created = service.invitations_create(survey=survey, user=world.project_coordinator, rows=[
            ("a@example.org", "polis", None), ("b@example.org", "boende", None, "en")])

    # then each gets one e-mail in their language with their personal link
    emails = {e.to: e for e in OutboundEmail.objects.filter(key__startswith="survey-invitation:")}
    assert set(emails) == {"a@example.org", "b@example.org"}
    by_email = {i.email: i for i in created}
    for address, email in emails.items():
        invitation = by_email[address]
        assert email.key == f"survey-invitation:{invitation.pk}"
        assert f"{settings.SITE_URL}/e/i/{invitation.token}/" in email.body_text
        assert invitation.token in email.body_html
        assert world.project.municipality.name in email.subject
        assert survey.closes_on.year.__str__() in email.body_text
    with translation.override("en"):
        assert survey.title_en in emails["b@example.org"].subject
    with translation.override("sv"):
        assert survey.title in emails["a@example.org"].subject
    # and sending again (a redelivered task) sends nothing more
    assert service.invitations_send(survey_id=survey.pk) == 0
    survey_invitations_send(survey.pk)
    assert OutboundEmail.objects.count() == 2


def test_the_email_text_says_how_long_and_that_it_is_anonymous(world):
    survey = survey_in(world.project, state="open", questions=9)
    invitation = InvitationFactory(survey=survey, language="sv")
    service.invitations_send(survey_id=survey.pk)
    email = OutboundEmail.objects.get(key=f"survey-invitation:{invitation.pk}")
    assert " 3 " in email.body_text  # about three minutes for nine questions
    assert service.minutes_estimate(9) == 3 and service.minutes_estimate(1) == 2
    with translation.override("sv"):
        from django.utils.translation import gettext
        anonymity = gettext("Your answers are anonymous: we only record that you have answered, never which "
                            "answers are yours, and results are only shown for groups of at least five people.")
    assert anonymity in email.body_text


@pytest.mark.parametrize("state", ["draft", "scheduled", "closed"])
def test_nothing_is_sent_unless_the_survey_is_open(world, state):
    survey = survey_in(world.project, state=state)
    InvitationFactory(survey=survey)
    assert service.invitations_send(survey_id=survey.pk) == 0
    assert OutboundEmail.objects.count() == 0


def test_the_invitations_of_a_scheduled_survey_go_out_the_day_it_opens(world):
    # given a survey opening in three days with an invitation
    survey = survey_in(world.project, state="scheduled")
    InvitationFactory(survey=survey)
    # when the daily job runs before and on the opening day
    assert service.invitations_send_due(today=survey.opens_on - timedelta(days=1)) == 0
    assert service.invitations_send_due(today=survey.opens_on) == 1
    # then it is sent once
    assert service.invitations_send_due(today=survey.opens_on) == 0
    assert OutboundEmail.objects.filter(key__startswith="survey-invitation:").count() == 1


def test_smtp_delivery_of_an_invitation(world, settings):
    """One path through the real SMTP backend (aiosmtpd) for a survey invitation."""
    from trygga_platser.notifications.services import email_deliver

    from ..notifications.smtp_server import RunningSMTPServer, SMTPRecorder

    # given a queued invitation of an open survey
    survey = survey_in(world.project, state="open")
    invitation = InvitationFactory(survey=survey, email="smtp@example.org")
    service.invitations_send(survey_id=survey.pk)
    email = OutboundEmail.objects.get(key=f"survey-invitation:{invitation.pk}")
    with RunningSMTPServer(SMTPRecorder()) as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        # when it is delivered
        assert email_deliver(email_id=email.pk) is True
    # then the server got one multipart message to the invitee with the personal link in both parts
    assert len(server.handler.messages) == 1
    message = server.handler.messages[0]
    assert server.handler.envelopes[0][1] == ["smtp@example.org"]
    assert invitation.token in message.get_body(("plain",)).get_content()
    assert invitation.token in message.get_body(("html",)).get_content()


# ------------------------------------------------------------------------------------------------
# Deleting
# ------------------------------------------------------------------------------------------------

def test_only_unanswered_invitations_can_be_removed(world):
    survey = survey_in(world.project, state="open")
    open_one = InvitationFactory(survey=survey)
    answered = InvitationFactory(survey=survey, used_on=timezone.localdate())
    service.invitation_delete(invitation=open_one, user=world.project_coordinator)
    assert not Invitation.objects.filter(pk=open_one.pk).exists()
    with pytest.raises(ValidationError) as caught:
        service.invitation_delete(invitation=answered, user=world.project_coordinator)
    assert caught.value.messages == [str(service.INVITATION_USED)]


# ------------------------------------------------------------------------------------------------
# Views
# ------------------------------------------------------------------------------------------------

def test_members_are_invited_with_their_category(world, client_for, django_capture_on_commit_callbacks):
    # given a survey and a member who is police in the project
    survey = survey_in(world.project, state="open")
    membership = world.project.memberships.get(user=world.member)
    client = client_for(world.project_coordinator)
    page = client.get(distribution_url("distribution", survey)).content.decode()
    assert world.member.email in page

    # when the coordinator ticks the member
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(distribution_url("invitations_add", survey), {"members-members": [str(membership.pk)]})

    # then the member is invited as police and gets the e-mail
    assert response.status_code == 302
    invitation = Invitation.objects.get(survey=survey)
    assert (invitation.email, invitation.category, invitation.user) == (
        world.member.email.casefold(), StakeholderCategory.POLICE, world.member)
    assert OutboundEmail.objects.filter(key=f"survey-invitation:{invitation.pk}").exists()
    # and is no longer offered
    assert f'value="{membership.pk}"' not in client.get(distribution_url("distribution", survey)).content.decode()


def test_a_member_of_another_project_cannot_be_picked(world, client_for):
    survey = survey_in(world.project, state="open")
    foreign = ProjectMembershipFactory(project=world.other_project, user=UserFactory())
    response = client_for(world.project_coordinator).post(distribution_url("invitations_add", survey),
                                                          {"members-members": [str(foreign.pk)]})
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_a_pasted_list_with_errors_invites_nobody_and_shows_the_lines(world, client_for):
    survey = survey_in(world.project, state="open")
    response = client_for(world.project_coordinator).post(distribution_url("invitations_upload", survey), {
        "list-text": "a@example.org;polis\nbroken;polis\n"})
    assert response.status_code == 400
    content = response.content.decode()
    assert str(service.LIST_HAS_ERRORS) in content
    assert "<td>2</td>" in content
    assert not Invitation.objects.exists()


def test_an_uploaded_file_invites_everyone(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    survey = survey_in(world.project, state="draft")
    upload = SimpleUploadedFile("lista.csv", "\ufeffe-post;kategori\r\na@example.org;Polis\r\nb@example.org;boende\r\n"
                                .encode(), content_type="text/csv")
    response = client_for(world.project_coordinator).post(distribution_url("invitations_upload", survey),
                                                          {"list-file": upload})
    assert response.status_code == 302
    assert set(Invitation.objects.values_list("email", flat=True)) == {"a@example.org", "b@example.org"}
    # the survey is a draft: nothing is sent yet
    assert OutboundEmail.objects.count() == 0


def test_an_empty_list_form_is_an_error(world, client_for):
    survey = survey_in(world.project, state="open")
    response = client_for(world.project_coordinator).post(distribution_url("invitations_upload", survey), {})
    assert response.status_code == 400


def test_invitation_delete_view(world, client_for):
    survey = survey_in(world.project, state="open")
    invitation = InvitationFactory(survey=survey)
    answered = InvitationFactory(survey=survey, used_on=timezone.localdate())
    client = client_for(world.project_coordinator)
    assert client.post(distribution_url("invitation_delete", survey, invitation_id=answered.pk)).status_code == 302
    assert Invitation.objects.filter(pk=answered.pk).exists()
    assert client.post(distribution_url("invitation_delete", survey, invitation_id=invitation.pk)).status_code == 302
    assert not Invitation.objects.filter(pk=invitation.pk).exists()


def test_invitation_delete_is_scoped(world, client_for):
    # given an invitation of another survey in another municipality, and of another survey in the same project
    survey = survey_in(world.project, state="open")
    other_survey = survey_in(world.project, state="open")
    sibling = InvitationFactory(survey=other_survey)
    foreign = InvitationFactory(survey=survey_in(world.other_project, state="open"))
    client = client_for(world.project_coordinator)
    for invitation in (sibling, foreign):
        url = distribution_url("invitation_delete", survey, invitation_id=invitation.pk)
        assert client.post(url).status_code == 404
    assert client_for(world.coach).post(
        distribution_url("invitation_delete", survey, invitation_id=InvitationFactory(survey=survey).pk)).status_code == 403
    assert Invitation.objects.filter(pk__in=[sibling.pk, foreign.pk]).count() == 2
