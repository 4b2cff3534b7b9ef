"""The account pages (allauth inside our layout) and the invitation page are WCAG 2.1 AA clean
(SPEC §4.1, §12.3), and a new person can accept an invitation in the browser."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from trygga_platser.accounts.models import Invitation, User
from trygga_platser.tenancy.models import Project, ProjectMembership

from .test_journeys import AVESTA, sign_in

pytestmark = pytest.mark.e2e


def test_account_pages_are_accessible(page, demo, a11y, page_errors):
    a11y.prefix = "account"
    page.goto("/konto/password/reset/")
    a11y.check(page, "password-reset")
    sign_in(page, a11y, AVESTA)
    for path, name in [("/konto/email/", "email"), ("/konto/password/change/", "password-change"),
                       ("/konto/2fa/", "mfa"), ("/konto/2fa/totp/activate/", "mfa-activate"),
                       ("/tillganglighet/", "accessibility")]:
        response = page.goto(path)
        assert response.status == 200, path
        a11y.check(page, name)
    a11y.assert_clean()


def test_a_new_person_accepts_an_invitation(page, demo, a11y, page_errors):
    # Given an invitation into the Avesta project for someone without an account
    a11y.prefix = "invitation"
    project = Project.objects.get(municipality__slug="avesta")
    invitation = Invitation.objects.create(
        email="ny.handlare@exempel.example", project=project, project_role="member",
        stakeholder_category="naringsidkare", organisation_name="Kaffebaren på torget (fiktiv)",
        expires_at=timezone.now() + timedelta(days=14))
    # When they follow the link, choose a password and submit
    page.goto(f"/inbjudan/{invitation.token}/")
    a11y.check(page, "accept")
    page.fill("input[name=full_name]", "Nora Handlare")
    page.fill("input[name=password1]", "Torget-Kaffe-2026!")
    page.fill("input[name=password2]", "Torget-Kaffe-2026!")
    page.locator("main form [type=submit]").click()
    # Then they land in the project, signed in, as a member
    expect(page).to_have_url(re.compile(rf"/projekt/{project.pk}/$"))
    a11y.check(page, "project-as-new-member")
    user = User.objects.get(email="ny.handlare@exempel.example")
    assert ProjectMembership.objects.get(user=user, project=project).stakeholder_category == "naringsidkare"
    # And the link cannot be used again
    page.context.clear_cookies()
    response = page.goto(f"/inbjudan/{invitation.token}/")
    assert response.status == 410
    a11y.check(page, "used")
    a11y.assert_clean()
