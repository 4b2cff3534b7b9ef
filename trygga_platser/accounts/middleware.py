"""Organisations may require two-factor authentication (SPEC §4.1)."""
from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse

from trygga_platser.tenancy.models import Membership

# Paths a person must reach to set up two-factor authentication (or to leave).
_ALLOWED_PREFIXES = ("/konto/", "/i18n/", "/static/", "/healthz", "/tillganglighet/")


class RequireMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and user_must_set_up_mfa(user=user)
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?required=1")
        return self.get_response(request)


def user_must_set_up_mfa(*, user) -> bool:
    return (
        Membership.objects.filter(user=user, organisation__require_mfa=True).exists()
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )
