from __future__ import annotations

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.utils.translation import gettext as _

from .services import report_fail, report_run, reports_fail_abandoned


class ReportTask(DjangoTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo):  # noqa: PLR0913 - Celery's signature
        # Reached for the hard time limit and other deaths the service could not catch itself.
        if args:
            report_fail(report_id=args[0], reason=_("The report could not be generated. Please try again."))


@shared_task(
    bind=True,
    base=ReportTask,
    ignore_result=True,
    soft_time_limit=settings.REPORT_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_TIME_LIMIT,
)
def report_render(self, report_id: int) -> None:
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    report_run(report_id=report_id, redelivered=redelivered)


@shared_task(ignore_result=True)
def reports_sweep() -> int:
    return reports_fail_abandoned()
