"""The invitation link: the way into the service for a new person (SPEC §4.1)."""
from __future__ import annotations

from allauth.account.utils import perform_login
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import AcceptInvitationForm
from .models import Invitation, User
from .services import InvitationUnusable, invitation_accept, invitation_check


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = Invitation.objects.select_related("project", "invited_by").filter(token=token).first()
    if found is None:
        return render(request, "accounts/invitation_unusable.html", {"reason": "unknown"}, status=404)
    try:
        invitation_check(invitation=found)
    except InvitationUnusable as exc:
        return render(request, "accounts/invitation_unusable.html", {"reason": exc.reason, "invitation": found}, status=410)

    account_exists = User.objects.filter(email__iexact=found.email).exists()
    if account_exists:
        if not request.user.is_authenticated:
            login = reverse("account_login") + "?next=" + request.path
            return render(request, "accounts/invitation_signin.html", {"invitation": found, "login_url": login})
        if request.method == "POST":
            try:
                _user, project = invitation_accept(token=token, user=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("pages:home")
            messages.success(request, _("Welcome to %(project)s.") % {"project": project.name})
            return redirect("projects:detail", project_id=project.pk)
        return render(request, "accounts/invitation_confirm.html", {"invitation": found})

    form = AcceptInvitationForm(request.POST or None, initial={"full_name": found.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            user, project = invitation_accept(
                token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
            )
        except ValidationError as exc:
            form.add_error("password1", exc)
        except InvitationUnusable as exc:
            return render(request, "accounts/invitation_unusable.html", {"reason": exc.reason}, status=410)
        else:
            perform_login(request, user, email_verification="none")
            messages.success(request, _("Welcome to %(project)s.") % {"project": project.name})
            return redirect("projects:detail", project_id=project.pk)
    return render(request, "accounts/invitation_accept.html", {"invitation": found, "form": form})
