"""The audit log (SPEC §12.4): who changed what in a project, and when. Written by services only."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    project = models.ForeignKey("tenancy.Project", on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # A stable verb such as "step.completed"; the summary is the human sentence shown in the log.
    action = models.CharField(_("action"), max_length=60)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    summary = models.CharField(_("what happened"), max_length=500)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["project", "-at"], name="audit_project_at")]

    def __str__(self) -> str:
        return self.summary
