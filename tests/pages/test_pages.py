"""Start page, health, error pages, headers, language (SPEC §4.2, §12.2, §12.3, §12.6)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_database_and_broker(client, settings):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["database"] == "ok"
    expected_broker = "ok" if settings.REDIS_URL else "in-process"
    assert body["broker"] == expected_broker


def test_healthz_is_503_when_the_broker_is_down(client, settings, monkeypatch):
    from trygga_platser.celery import app

    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    from trygga_platser.pages import views

    monkeypatch.setattr(views, "_database_ok", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "unavailable"


def test_security_headers_and_csp(client):
    response = client.get(reverse("pages:accessibility"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_are_swedish_by_default_with_english_available(client):
    swedish = client.get(reverse("pages:accessibility"))
    assert '<html lang="sv">' in swedish.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/tillganglighet/"})
    english = client.get(reverse("pages:accessibility"))
    assert '<html lang="en">' in english.content.decode()
    assert "Accessibility statement" in english.content.decode()


def test_base_layout_is_accessible(client, world):
    client.force_login(world.member)
    html = client.get(reverse("pages:home")).content.decode()
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html and "<nav" in html and "<footer" in html
    assert "vendor/htmx.min.js" in html and "hx-headers" in html and "X-CSRFToken" in html
    assert "https://" not in html.split("<body")[0]  # nothing from a CDN in <head>


def test_404_page_is_the_swedish_one(client, world):
    client.force_login(world.member)
    response = client.get("/projekt/999999/")
    assert response.status_code == 404
    assert "Sidan kunde inte hittas" in response.content.decode() or "could not be found" in response.content.decode()


def test_500_page_renders_without_context(rf):
    from trygga_platser.pages.views import error_500

    response = error_500(rf.get("/"))
    assert response.status_code == 500 and "Något gick fel" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("pages:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_production_settings_pass_the_deployment_checklist():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trygga_platser.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "x7Yq2LmN9pRsT4vW8zA1bC3dE5fG6hJ0uV",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_missing_secret():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "trygga_platser.settings.production", "DJANGO_SECRET_KEY": ""}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr
