"""Ballot stuffing through the public link (SPEC §5.3): a submit limit per client, without storing
the client's address.

The counter lives in Django's cache (Redis in production, shared by every web process) under an HMAC
of the client address, the survey and the current time window, keyed with SECRET_KEY: the key cannot
be turned back into an address, differs per survey and per window, and expires with the window.
Nothing is written to the database or the logs. The client address is REMOTE_ADDR, or the entry of
X-Forwarded-For that ALLAUTH_TRUSTED_PROXY_COUNT trusts (the same rule as the login limits).
"""
from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds


def parse_rate(text: str) -> Rate | None:
    """"30/h" → Rate(30, 3600); "" or "0" → None (no limit)."""
    text = (text or "").strip()
    if not text or text == "0":
        return None
    try:
        count, unit = text.split("/", 1)
        return Rate(limit=int(count), period=PERIODS[unit.strip()[-1]] * int(unit.strip()[:-1] or 1))
    except (ValueError, KeyError, IndexError):
        raise ImproperlyConfigured(f"SURVEY_SUBMIT_RATE must look like '30/h', not {text!r}") from None


def client_address(request) -> str:
    """The client's address as the rate limits see it (never stored)."""
    from allauth.core.internal.httpkit import get_client_ip

    return get_client_ip(request) or request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(request, survey_id: int, rate: Rate, now: float) -> str:
    window = int(now // rate.period)
    message = f"{client_address(request)}|{survey_id}|{window}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    return f"survey-submit-rate:{digest}"


def submit_allowed(request, *, survey_id: int, now: float | None = None) -> str | None:
    """Whether this client may submit one more response to this survey in the current window:
    None when not, else a ticket (the counter's key, "" without a limit) for `submit_count`."""
    rate = parse_rate(getattr(settings, "SURVEY_SUBMIT_RATE", ""))
    if rate is None:
        return ""
    key = _key(request, survey_id, rate, now or time.time())
    return key if (cache.get(key) or 0) < rate.limit else None


def submit_count(ticket: str) -> None:
    """Count one submit (after it was stored) on the ticket `submit_allowed` gave."""
    rate = parse_rate(getattr(settings, "SURVEY_SUBMIT_RATE", ""))
    if rate is None or not ticket:
        return
    if cache.add(ticket, 1, timeout=rate.period + 1):
        return
    try:
        cache.incr(ticket)
    except ValueError:  # expired between add and incr: start the window again
        cache.set(ticket, 1, timeout=rate.period + 1)
