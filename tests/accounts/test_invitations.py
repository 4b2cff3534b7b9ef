"""Invitation-only sign-up (SPEC §4.1): a coordinator invites, the invitee lands in the project."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from trygga_platser.accounts.models import Invitation, User
from trygga_platser.notifications.models import OutboundEmail
from trygga_platser.tenancy.models import ProjectMembership

from ..factories import PASSWORD, InvitationFactory

pytestmark = pytest.mark.django_db


def _invite(client, world, **overrides):
    data = {
        "email": "ny.person@fastighet.example",
        "full_name": "Ny Person",
        "organisation_name": "Torghuset AB",
        "project_role": "member",
        "stakeholder_category": "fastighetsagare",
        **overrides,
    }
    return client.post(reverse("projects:members", kwargs={"project_id": world.project.pk}), data)


def test_coordinator_invites_and_the_mail_goes_through_the_outbox(world, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.project_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, world)
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="ny.person@fastighet.example")
    outbox_row = OutboundEmail.objects.get(key=f"invitation:{invitation.pk}")
    assert invitation.token in outbox_row.body_text
    assert world.project.name in outbox_row.subject
    # Eager mode (no broker) sends at once; with a broker the row waits for a worker.
    if outbox_row.status == OutboundEmail.Status.SENT:
        assert mail.outbox[0].to == ["ny.person@fastighet.example"]


def test_invitee_sets_password_and_lands_in_the_project(world, client):
    invitation = InvitationFactory(project=world.project, email="polis2@polisen.example", project_role="member",
                                   stakeholder_category="polis")
    url = reverse("accounts:invitation", kwargs={"token": invitation.token})
    assert client.get(url).status_code == 200
    response = client.post(url, {"full_name": "Polis Två", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", kwargs={"project_id": world.project.pk})
    user = User.objects.get(email="polis2@polisen.example")
    membership = ProjectMembership.objects.get(user=user, project=world.project)
    assert (membership.role, membership.stakeholder_category) == ("member", "polis")
    # And the new person is signed in
    assert client.get(response["Location"]).status_code == 200


def test_a_link_answers_once(world, client):
    invitation = InvitationFactory(project=world.project)
    url = reverse("accounts:invitation", kwargs={"token": invitation.token})
    client.post(url, {"full_name": "A", "password1": PASSWORD, "password2": PASSWORD})
    client.logout()
    again = client.post(url, {"full_name": "B", "password1": PASSWORD, "password2": PASSWORD})
    assert again.status_code == 410
    assert User.objects.filter(email=invitation.email).count() == 1


def test_expired_link_gets_a_clear_page_and_creates_nothing(world, client):
    invitation = InvitationFactory(project=world.project, expires_at=timezone.now() - timedelta(minutes=1))
    url = reverse("accounts:invitation", kwargs={"token": invitation.token})
    response = client.post(url, {"full_name": "A", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410
    assert "accounts/invitation_unusable.html" in [t.name for t in response.templates]
    assert response.context["reason"] == "expired"
    assert not User.objects.filter(email=invitation.email).exists()


def test_unknown_token_is_404(client):
    response = client.get(reverse("accounts:invitation", kwargs={"token": "x" * 43}))
    assert response.status_code == 404


def test_weak_or_mismatched_password_is_refused_with_a_message(world, client):
    invitation = InvitationFactory(project=world.project)
    url = reverse("accounts:invitation", kwargs={"token": invitation.token})
    weak = client.post(url, {"full_name": "A", "password1": "12345678901", "password2": "12345678901"})
    assert weak.status_code == 200 and weak.context["form"].errors
    mismatch = client.post(url, {"full_name": "A", "password1": PASSWORD, "password2": PASSWORD + "x"})
    assert "password2" in mismatch.context["form"].errors
    assert not User.objects.filter(email=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_existing_account_signs_in_to_accept(world, client):
    invitation = InvitationFactory(project=world.other_project, email=world.member.email)
    url = reverse("accounts:invitation", kwargs={"token": invitation.token})
    anonymous = client.get(url)
    assert anonymous.status_code == 200 and "accounts/invitation_signin.html" in [t.name for t in anonymous.templates]
    client.force_login(world.member)
    response = client.post(url)
    assert response.status_code == 302
    assert ProjectMembership.objects.filter(user=world.member, project=world.other_project).exists()


def test_signed_in_as_someone_else_cannot_take_the_invitation(world, client):
    invitation = InvitationFactory(project=world.other_project, email=world.member.email)
    client.force_login(world.coach)
    client.post(reverse("accounts:invitation", kwargs={"token": invitation.token}))
    assert not ProjectMembership.objects.filter(user=world.coach, project=world.other_project).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.parametrize("who", ["member", "coach", "county_officer", "project_viewer"])
def test_only_coordinators_invite(world, client_for, who):
    response = _invite(client_for(getattr(world, who)), world)
    assert response.status_code in (403, 404)
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_is_refused(world, client_for):
    response = _invite(client_for(world.project_coordinator), world, email=world.member.email)
    assert response.status_code == 200
    assert "already a member" in str(response.context["form"].non_field_errors()) or response.context["form"].errors
    assert not Invitation.objects.exists()


def test_tokens_are_long_and_unique(world):
    tokens = {InvitationFactory(project=world.project).token for _ in range(20)}
    assert len(tokens) == 20
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{43,}", token) for token in tokens)
