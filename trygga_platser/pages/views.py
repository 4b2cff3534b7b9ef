"""Pages that belong to no project: the start page, the accessibility statement, health, errors."""
from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from projects.selectors.project import projects_grouped_by_organisation
from trygga_platser.tenancy.access import organisations_user_coordinates

logger = logging.getLogger(__name__)


@login_required
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/home.html",
        {
            "groups": projects_grouped_by_organisation(user=request.user),
            "can_create": organisations_user_coordinates(user=request.user).exists(),
        },
    )


@require_http_methods(["GET"])
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("healthz.database")
        return False


def _broker_ok() -> bool | None:
    """True/False for a configured broker; None when tasks run in-process (nothing to check)."""
    if not settings.REDIS_URL:
        return None
    from trygga_platser.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            conn.default_channel.client.ping()
        return True
    except Exception:
        logger.exception("healthz.broker")
        return False


@never_cache
@require_http_methods(["GET", "HEAD"])
def healthz(request: HttpRequest) -> JsonResponse:
    database = _database_ok()
    broker = _broker_ok()
    healthy = database and broker is not False
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": "ok" if database else "unavailable",
        "broker": {True: "ok", False: "unavailable", None: "in-process"}[broker],
    }
    return JsonResponse(body, status=200 if healthy else 503)


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors that could fail again: a plain template.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
