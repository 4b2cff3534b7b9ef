"""A report job (SPEC §9): one row per requested PDF, re-read by the worker that renders it."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def report_upload_to(instance: "Report", filename: str) -> str:
    return f"reports/{instance.project_id}/{instance.pk}/{filename}"


class Report(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being generated")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40)
    project = models.ForeignKey("tenancy.Project", on_delete=models.CASCADE, related_name="reports")
    # What the kind needs beyond the project, e.g. {"meeting_id": 12} for a site-walk protocol;
    # the kind resolves every id inside the report's project.
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("reason"), blank=True)
    file = models.FileField(_("file"), upload_to=report_upload_to, blank=True, max_length=300)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("requested by")
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["project", "-created_at"], name="report_project_created")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
