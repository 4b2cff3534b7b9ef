"""The user's own settings page (/konto/installningar/): weekly summaries by e-mail and language."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from trygga_platser.accounts.models import User

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/konto/installningar/"


def test_the_page_lives_under_the_account(client):
    assert reverse("accounts:settings") == URL


def test_only_signed_in_users_reach_it(client):
    # when someone who is not signed in asks for it, then they are sent to sign in
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    # and a POST changes nothing
    assert client.post(URL, {"language": "en"}).status_code == 302


def test_the_page_shows_the_current_settings_and_is_linked_from_the_account_menu(client):
    # given a signed-in user who receives digests and reads Swedish
    user = UserFactory(language="sv", receives_digests=True)
    client.force_login(user)

    # when they open the page
    response = client.get(URL)

    # then the checkbox is ticked, Swedish is chosen, and the account menu links here
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="receives_digests"' in html and "checked" in html.split('name="receives_digests"')[1].split(">")[0]
    assert 'value="sv"' in html and "checked" in html.split('value="sv"')[1].split(">")[0]
    assert f'href="{URL}" aria-current="page"' in html


def test_opting_out_of_digests_and_choosing_english_is_saved(client):
    # given a signed-in user
    user = UserFactory(language="sv", receives_digests=True)
    client.force_login(user)

    # when they untick the summaries and choose English
    response = client.post(URL, {"language": "en"})

    # then both are saved, the pages follow the new language, and they come back to the page
    assert response.status_code == 302
    assert response["Location"] == URL
    user.refresh_from_db()
    assert user.receives_digests is False
    assert user.language == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(URL)
    assert page.content.decode().count('lang="en"') >= 1


def test_opting_in_again(client):
    user = UserFactory(language="en", receives_digests=False)
    client.force_login(user)

    client.post(URL, {"language": "en", "receives_digests": "on"})

    user.refresh_from_db()
    assert user.receives_digests is True


def test_an_unknown_language_is_refused_and_nothing_is_stored(client):
    # given a signed-in user
    user = UserFactory(language="sv", receives_digests=True)
    client.force_login(user)

    # when they post a language the service does not offer
    response = client.post(URL, {"language": "de"})

    # then the form is shown again with an error, and nothing changed
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    user.refresh_from_db()
    assert (user.language, user.receives_digests) == ("sv", True)


def test_it_changes_only_the_signed_in_users_own_settings(client):
    # given two users
    me, other = UserFactory(), UserFactory(language="sv", receives_digests=True)
    client.force_login(me)

    # when I save mine
    client.post(URL, {"language": "en"})

    # then the other is untouched
    other.refresh_from_db()
    assert (other.language, other.receives_digests) == ("sv", True)
    assert User.objects.get(pk=me.pk).language == "en"
