"""What the current-state analysis registers (called from analysis/registrations.py): the
Nulägesanalys report kind and the evidence of the "current_state" activity (projects.evidence)."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from projects import evidence
from projects.evidence import EvidenceLink
from surveys.models import Survey
from trygga_platser.tenancy.models import Project

from .models import CurrentStateAnalysis, Inspection
from .reports import register_current_state_report


def current_state_evidence(project: Project) -> list[EvidenceLink]:
    """Done when the summary and conclusions are written and at least one published survey or one
    inspection stands behind them. Three queries at most."""
    analysis = CurrentStateAnalysis.objects.filter(project=project).only("summary", "conclusions").first()
    written = bool(analysis and analysis.summary.strip() and analysis.conclusions.strip())
    has_basis = (Inspection.objects.filter(project=project).exists()
                 or Survey.objects.filter(project=project, published_at__isnull=False).exists())
    if written and has_basis:
        label = _("Current-state analysis: summary and conclusions written")
    elif written:
        label = _("Current-state analysis: written, but no survey or inspection yet")
    else:
        label = _("Current-state analysis: summary and conclusions not written yet")
    return [EvidenceLink(label=label, url=reverse("analysis:current_state", kwargs={"project_id": project.pk}),
                         done=written and has_basis)]


def register_current_state() -> None:
    register_current_state_report()
    evidence.register("current_state", current_state_evidence)
