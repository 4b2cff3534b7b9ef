"""The signed-in user's own settings: weekly summaries by e-mail (SPEC §10 opt-out) and language."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .models import User


class SettingsForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), choices=settings.LANGUAGES, widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Used for the e-mail you receive. Saving it here also switches the pages in this browser."),
    )

    class Meta:
        model = User
        fields = ["receives_digests", "language"]


def user_settings_update(*, user: User, receives_digests: bool, language: str) -> User:
    """Save the user's own settings. Not in the audit log, which is per project (a person's own
    preferences are not a change to any project)."""
    with transaction.atomic():
        user.receives_digests = receives_digests
        user.language = language
        user.save(update_fields=["receives_digests", "language"])
    return user


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = SettingsForm(request.POST or None, instance=User(receives_digests=user.receives_digests,
                                                             language=user.language or settings.LANGUAGE_CODE))
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        user_settings_update(user=user, receives_digests=form.cleaned_data["receives_digests"], language=language)
        with translation.override(language):
            messages.success(request, _("Your settings are saved."))
        response = redirect("accounts:settings")
        # The pages follow the chosen language from now on (LocaleMiddleware reads the cookie).
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                            path=settings.LANGUAGE_COOKIE_PATH, secure=settings.LANGUAGE_COOKIE_SECURE or None,
                            httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response
    return render(request, "accounts/settings.html", {"form": form})
