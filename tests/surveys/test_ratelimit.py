"""Ballot stuffing (SPEC §5.3): a submit limit per client through the public link, without storing
the client's address anywhere (the counter's cache key is an HMAC)."""
from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse
from django.utils.translation import gettext

from surveys import ratelimit
from surveys.models import Response

from .test_responding import make_survey
from .test_responding_views import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_parse_rate():
    assert ratelimit.parse_rate("30/h") == ratelimit.Rate(30, 3600)
    assert ratelimit.parse_rate("5/10m") == ratelimit.Rate(5, 600)
    assert ratelimit.parse_rate("") is None
    with pytest.raises(ImproperlyConfigured):
        ratelimit.parse_rate("lots")


def test_the_limit_answers_429_and_stores_nothing(client, settings):
    # Given a limit of two submits an hour
    settings.SURVEY_SUBMIT_RATE = "2/h"
    survey = make_survey()

    # When one client sends three responses
    assert answer_all(client, survey).status_code == 303
    assert answer_all(client, survey).status_code == 303
    third = answer_all(client, survey)

    # Then the third gets a friendly 429 and is not stored
    assert third.status_code == 429
    assert gettext("Many answers from here") in third.content.decode()
    assert Response.objects.filter(survey=survey).count() == 2

    # And another survey, or another client, is not affected
    assert answer_all(client, make_survey()).status_code == 303
    other = client.__class__(REMOTE_ADDR="192.0.2.77")
    assert answer_all(other, survey).status_code == 303


def test_invitations_are_not_rate_limited(client, settings):
    from .factories import InvitationFactory

    settings.SURVEY_SUBMIT_RATE = "1/h"
    survey = make_survey()
    for _ in range(2):
        invitation = InvitationFactory(survey=survey)
        target = reverse("surveys:invitation", kwargs={"token": invitation.token})
        assert answer_all(client, survey, target=target).status_code == 303


def test_the_address_is_not_in_the_cache_key(settings):
    settings.SURVEY_SUBMIT_RATE = "30/h"
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.23")
    key = ratelimit._key(request, 7, ratelimit.Rate(30, 3600), now=1_000_000)
    assert "198.51.100.23" not in key
    assert re.fullmatch(r"survey-submit-rate:[0-9a-f]{64}", key)
    # Different windows and surveys give unrelated keys
    assert key != ratelimit._key(request, 7, ratelimit.Rate(30, 3600), now=1_000_000 + 3600)
    assert key != ratelimit._key(request, 8, ratelimit.Rate(30, 3600), now=1_000_000)


def test_forwarded_for_counts_only_behind_a_trusted_proxy(settings):
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.1")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_address(request) == "10.0.0.1"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    assert ratelimit.client_address(request) == "203.0.113.5"
