"""Writes for people: invite into a project, accept an invitation."""
from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trygga_platser.notifications.services import email_queue
from trygga_platser.tenancy.models import Project, ProjectMembership

from .models import Invitation, User

ALREADY_MEMBER = _("%(email)s is already a member of this project.")


class InvitationUnusable(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "expired" or "used"


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("accounts:invitation", kwargs={"token": invitation.token})


def invitation_create(
    *,
    invited_by: User,
    project: Project,
    email: str,
    project_role: str,
    stakeholder_category: str,
    full_name: str = "",
    organisation_name: str = "",
) -> Invitation:
    email = email.strip().lower()
    if ProjectMembership.objects.filter(project=project, user__email__iexact=email).exists():
        raise ValidationError({"email": ALREADY_MEMBER % {"email": email}})
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            full_name=full_name.strip(),
            project=project,
            project_role=project_role,
            stakeholder_category=stakeholder_category,
            organisation_name=organisation_name.strip(),
            invited_by=invited_by,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        existing = User.objects.filter(email__iexact=email).first()
        language = existing.language if existing else settings.LANGUAGE_CODE
        with translation.override(language):
            context = {
                "invitation": invitation,
                "project": project,
                "inviter": invited_by,
                "url": invitation_url(invitation),
                "valid_days": settings.INVITATION_VALID_DAYS,
            }
            subject = _("Invitation to the project %(project)s") % {"project": project.name}
            email_queue(
                key=f"invitation:{invitation.pk}",
                to=email,
                subject=subject,
                text=render_to_string("accounts/email/invitation.txt", context),
                html=render_to_string("accounts/email/invitation.html", context),
            )
    return invitation


def invitation_check(*, invitation: Invitation) -> None:
    if invitation.is_used:
        raise InvitationUnusable("used")
    if invitation.is_expired:
        raise InvitationUnusable("expired")


def invitation_accept(*, token: str, user: User | None = None, full_name: str = "", password: str = "") -> tuple[User, Project]:
    """Accept an invitation: by a signed-in user with the invited address, or by creating the account.

    Runs in one transaction with the invitation row locked, so a link answers exactly once.
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("project").get(token=token)
        invitation_check(invitation=invitation)
        if user is None:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise ValidationError(_("An account with this address already exists. Sign in to accept."))
            candidate = User(email=invitation.email, full_name=full_name.strip() or invitation.full_name)
            validate_password(password, user=candidate)
            candidate.set_password(password)
            candidate.save()
            user = candidate
        elif user.email.lower() != invitation.email.lower():
            raise ValidationError(_("This invitation was sent to another e-mail address."))
        EmailAddress.objects.update_or_create(
            user=user, email=invitation.email, defaults={"verified": True, "primary": True}
        )
        ProjectMembership.objects.update_or_create(
            project=invitation.project,
            user=user,
            defaults={
                "role": invitation.project_role,
                "stakeholder_category": invitation.stakeholder_category,
                "organisation_name": invitation.organisation_name,
            },
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user, invitation.project
