"""What safety inspections add to the projects app: the evidence of the "inspection" activities
(the baseline and the follow-up inspection of the variants). Called from analysis/registrations.py."""
from __future__ import annotations

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from projects import evidence
from projects.evidence import EvidenceLink
from trygga_platser.tenancy.models import Project

from .models import FactorScore, Inspection


def inspection_evidence(project: Project) -> list[EvidenceLink]:
    """One link per inspection, done once it has at least one scored point. One query."""
    scored = FactorScore.objects.filter(point__inspection=OuterRef("pk"))
    inspections = (Inspection.objects.filter(project=project)
                   .annotate(point_count=Count("points"), scored=Exists(scored)).order_by("date", "pk"))
    links = []
    for inspection in inspections:
        points = ngettext("%(count)d point", "%(count)d points", inspection.point_count) % {
            "count": inspection.point_count}
        links.append(EvidenceLink(
            label=_("Safety inspection “%(title)s”, %(date)s: %(points)s") % {
                "title": inspection.title, "date": inspection.date.isoformat(), "points": points},
            url=reverse("analysis:inspection", kwargs={"project_id": project.pk, "inspection_id": inspection.pk}),
            done=bool(inspection.scored)))
    return links


def register() -> None:
    evidence.register("inspection", inspection_evidence)
