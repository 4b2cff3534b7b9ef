"""django-allauth customised by its adapter (ARCHITECTURE.md, habit 6)."""
from __future__ import annotations

import uuid

from allauth.account.adapter import DefaultAccountAdapter

from trygga_platser.notifications.services import email_queue


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # No open sign-up (SPEC §4.1): people join through an invitation from a coordinator,
        # which has its own view (accounts.views.invitation_accept).
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth's mail (password reset, security notices) goes through the outbox like all mail.
        message = self.render_mail(template_prefix, email, context)
        html = next((content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), "")
        email_queue(
            key=f"allauth:{template_prefix}:{uuid.uuid4()}",
            to=email,
            subject=message.subject,
            text=message.body,
            html=html,
        )
