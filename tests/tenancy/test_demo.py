"""seed_demo (SPEC §13): the fixed accounts, idempotent, and each account sees exactly its projects."""
from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from trygga_platser.accounts.models import User
from trygga_platser.tenancy.access import Level, projects_with_access
from trygga_platser.tenancy.demo import DEMO_PASSWORD
from trygga_platser.tenancy.models import Organisation, Programme, Project

pytestmark = pytest.mark.django_db

SPEC_ACCOUNTS = [
    "samordnare@avesta.example", "samordnare@falun.example", "samordnare@hallstahammar.example",
    "samordnare@sala.example", "samordnare@ludvika.example", "polis@avesta.example",
    "fastighetsagare@avesta.example", "lansstyrelsen@dalarna.example", "lansstyrelsen@vastmanland.example",
    "coach@partner.example", "admin@trygga.example",
]

EXPECTED = {
    "samordnare@avesta.example": {"Avesta kommun": Level.COORDINATOR},
    "samordnare@falun.example": {"Falu kommun": Level.COORDINATOR},
    "samordnare@hallstahammar.example": {"Hallstahammars kommun": Level.COORDINATOR},
    "samordnare@sala.example": {"Sala kommun": Level.COORDINATOR},
    "samordnare@ludvika.example": {"Ludvika kommun": Level.COORDINATOR},
    "polis@avesta.example": {"Avesta kommun": Level.MEMBER},
    "fastighetsagare@avesta.example": {"Avesta kommun": Level.MEMBER},
    "lansstyrelsen@dalarna.example": {m: Level.COUNTY_BOARD for m in
                                      ["Avesta kommun", "Falu kommun", "Hallstahammars kommun", "Sala kommun"]},
    "lansstyrelsen@vastmanland.example": {m: Level.COUNTY_BOARD for m in
                                          ["Avesta kommun", "Falu kommun", "Hallstahammars kommun", "Sala kommun"]},
    "coach@partner.example": {"Avesta kommun": Level.EDITOR, "Sala kommun": Level.EDITOR},
    "admin@trygga.example": {},
}


@pytest.fixture
def demo(demo_db):
    return demo_db


def test_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")


def test_force_runs_without_debug(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force")
    assert User.objects.filter(email="samordnare@avesta.example").exists()


def test_exact_accounts_with_the_documented_password(demo):
    for email in SPEC_ACCOUNTS:
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD), email
    assert User.objects.get(email="admin@trygga.example").is_staff


@pytest.mark.parametrize("email", SPEC_ACCOUNTS)
def test_each_account_sees_exactly_its_projects(demo, email):
    user = User.objects.get(email=email)
    seen = {project.municipality.name: access.level for project, access in projects_with_access(user=user)}
    assert seen == EXPECTED[email]


def test_running_twice_changes_nothing(demo, settings):
    settings.DEBUG = True
    counts = (User.objects.count(), Organisation.objects.count(), Project.objects.count(), Programme.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Organisation.objects.count(), Project.objects.count(),
            Programme.objects.count()) == counts


def test_organisations_are_valid(demo):
    for organisation in Organisation.objects.all():
        organisation.full_clean()
    assert Project.objects.get(municipality__slug="ludvika").programmes.count() == 0
