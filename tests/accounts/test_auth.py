"""Sign-in with allauth (SPEC §4.1): e-mail login, no open sign-up, reset by e-mail, MFA, rate limits."""
from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from trygga_platser.accounts.models import User
from trygga_platser.notifications.models import OutboundEmail

from ..factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_and_password(client):
    user = UserFactory(email="anna@kommun.example")
    response = client.post(reverse("account_login"), {"login": "Anna@Kommun.example", "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_there_is_no_open_sign_up(client):
    response = client.post(
        reverse("account_signup"), {"email": "stranger@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert not User.objects.filter(email="stranger@example.org").exists()
    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]


def test_password_reset_mail_goes_through_the_outbox(client):
    UserFactory(email="glomsk@kommun.example")
    client.post(reverse("account_reset_password"), {"email": "glomsk@kommun.example"})
    row = OutboundEmail.objects.get(to="glomsk@kommun.example")
    assert row.key.startswith("allauth:account/email/password_reset_key")
    assert "/konto/password/reset/key/" in row.body_text


def test_failed_logins_are_rate_limited(client):
    # Given five wrong passwords for one account (allauth's login_failed limit: 5 per 5 minutes per key)
    UserFactory(email="target@kommun.example")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "target@kommun.example", "password": "fel-lösenord"})
    # When the right password comes next
    response = client.post(reverse("account_login"), {"login": "target@kommun.example", "password": PASSWORD})
    # Then it is still refused, with a message, and nobody is signed in
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    if response.status_code == 200:
        assert response.context["form"].errors


def test_organisation_can_require_two_factor(client, world):
    world.home.require_mfa = True
    world.home.save()
    client.force_login(world.org_coordinator)
    response = client.get(reverse("projects:detail", kwargs={"project_id": world.project.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    # Setting up TOTP opens the service again
    Authenticator.objects.create(user=world.org_coordinator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get(reverse("projects:detail", kwargs={"project_id": world.project.pk})).status_code == 200


def test_people_outside_the_organisation_are_not_forced(client, world):
    world.home.require_mfa = True
    world.home.save()
    client.force_login(world.member)  # project member, not an organisation member
    assert client.get(reverse("projects:detail", kwargs={"project_id": world.project.pk})).status_code == 200


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_reach_the_admin_and_members_do_not(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    member = MembershipFactory().user
    client.force_login(member)
    assert client.get("/admin/").status_code == 302
