"""Writes of report jobs: request one (after commit, the worker renders it) and run one."""
from __future__ import annotations

import logging
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trygga_platser.tenancy.access import project_get_for_user
from trygga_platser.tenancy.models import Project

from .models import Report
from .registry import kind_get
from .rendering import template_to_pdf

logger = logging.getLogger(__name__)


class UnknownReportKind(ValueError):
    pass


def report_request(*, user, project: Project, kind: str, params: dict | None = None) -> Report:
    """Queue a report of `kind` for a project already resolved through the access module."""
    report_kind = kind_get(kind)
    if report_kind is None:
        raise UnknownReportKind(kind)
    if not project.access.allows(report_kind.perm):  # type: ignore[attr-defined]
        raise PermissionDenied
    from .tasks import report_render

    with transaction.atomic():
        report = Report.objects.create(kind=kind, project=project, author=user, params=params or {})
        report_render.delay_on_commit(report.pk)
    return report


def _report_claim(report_id: int, *, redelivered: bool = False) -> bool:
    """Move the row to `running`. A row already running is taken over when its worker must be
    gone: the broker redelivered this very task (its worker died without acknowledging it), or
    it has been running longer than the hard time limit allows."""
    stale = timezone.now() - timedelta(seconds=settings.REPORT_TIME_LIMIT + 60)
    takeover = Q(status=Report.Status.RUNNING) if redelivered else Q(status=Report.Status.RUNNING, started_at__lt=stale)
    return bool(
        Report.objects.filter(pk=report_id)
        .filter(Q(status=Report.Status.QUEUED) | takeover)
        .update(status=Report.Status.RUNNING, started_at=timezone.now(), error="")
    )


def reports_fail_abandoned() -> int:
    """Fail reports whose worker vanished (nothing will redeliver them), so nobody waits forever.

    Run from Celery beat; a row counts as abandoned well after the hard time limit.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.REPORT_TIME_LIMIT * 3)
    return Report.objects.filter(
        Q(status=Report.Status.RUNNING, started_at__lt=cutoff) | Q(status=Report.Status.QUEUED, created_at__lt=cutoff)
    ).update(status=Report.Status.FAILED, finished_at=timezone.now(),
             error=_("The report was interrupted. Please request it again."))


def report_fail(*, report_id: int, reason: str) -> None:
    Report.objects.filter(pk=report_id).exclude(status=Report.Status.DONE).update(
        status=Report.Status.FAILED, error=reason[:2000], finished_at=timezone.now()
    )


def report_run(*, report_id: int, redelivered: bool = False) -> None:
    """Render a queued report; safe to call twice (the second call finds it claimed or done)."""
    if not _report_claim(report_id, redelivered=redelivered):
        return
    report = Report.objects.select_related("author").get(pk=report_id)
    language = getattr(report.author, "language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        report_kind = kind_get(report.kind)
        if report_kind is None:
            report_fail(report_id=report_id, reason=_("This kind of report no longer exists."))
            return
        try:
            # The job re-checks access as its author: a person removed from the project meanwhile
            # must not receive the report.
            project = project_get_for_user(user=report.author, project_id=report.project_id, perm=report_kind.perm)
        except (Http404, PermissionDenied):
            report_fail(report_id=report_id, reason=_("You no longer have access to this project."))
            return
        try:
            context = report_kind.context(report, project)
            context.setdefault("report", report)
            context.setdefault("project", project)
            context.setdefault("report_title", report_kind.title)
            context.setdefault("generated_at", timezone.now())
            pdf = template_to_pdf(report_kind.template, context)
        except SoftTimeLimitExceeded:
            report_fail(report_id=report_id, reason=_("The report took too long to generate. Please try again later."))
            return
        except Exception:
            logger.exception("report.failed", extra={"report_id": report_id, "kind": report.kind})
            report_fail(
                report_id=report_id,
                reason=_("The report could not be generated because of an internal error. "
                         "The error has been logged; please try again or contact support."),
            )
            return
        filename = report_kind.filename(report, project)
    report.file.save(filename, ContentFile(pdf), save=False)
    Report.objects.filter(pk=report_id, status=Report.Status.RUNNING).update(
        status=Report.Status.DONE, file=report.file.name, finished_at=timezone.now()
    )
    logger.info("report.done", extra={"report_id": report_id, "kind": report.kind, "bytes": len(pdf)})
