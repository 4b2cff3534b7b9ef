"""What the action plan adds to the projects app (called from ActionplansConfig.ready()).

The projects app never imports this one (ARCHITECTURE.md: dependencies point one way); it offers
registries instead: a panel on the project home (projects/panels.py), the evidence of the
"action_plan" activities (projects/evidence.py), the goal indicator for Goal.source "action_plan"
(projects/selectors/plans.py) and the demo seeder (trygga_platser/tenancy/demo.py).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from projects import evidence, panels
from projects.evidence import EvidenceLink
from projects.selectors.plans import register_indicator
from trygga_platser.tenancy.access import Perm
from trygga_platser.tenancy.demo import register_seeder
from trygga_platser.tenancy.models import Project

from .models import Action
from .selectors.actions import action_kpi

# The pilots' outcome (SPEC §7.3): more than 50 % done or started one year after the start.
PILOT_BENCHMARK_PERCENT = 50


def home_panel_context(project: Project) -> dict[str, Any]:
    """The action plan's KPI on the project home: numbers only, so county boards may see it."""
    kpi = action_kpi(project=project)
    percent = kpi.percent_done_or_started
    return {
        "kpi": kpi,
        "benchmark": PILOT_BENCHMARK_PERCENT,
        "above_benchmark": percent is not None and percent > PILOT_BENCHMARK_PERCENT,
    }


HOME_PANEL = panels.HomePanel(
    key="actionplans", order=20, template="actionplans/_home_panel.html", context=home_panel_context,
    perm=Perm.VIEW,
)


def action_plan_evidence(project: Project) -> list[EvidenceLink]:
    """Done when the plan has at least one action and every action still counted (not cancelled)
    has someone responsible (a person or an organisation) and a due date."""
    counts = Action.objects.filter(project=project).exclude(status=Action.Status.CANCELLED).aggregate(
        total=Count("pk"),
        incomplete=Count("pk", filter=Q(responsible__isnull=True, responsible_organisation="")
                         | Q(due_date__isnull=True)),
    )
    total, incomplete = counts["total"] or 0, counts["incomplete"] or 0
    label = _("Action plan: %(actions)s") % {
        "actions": ngettext("%(count)d action", "%(count)d actions", total) % {"count": total}}
    if incomplete:
        label += " – " + ngettext("%(count)d without someone responsible or a due date",
                                  "%(count)d without someone responsible or a due date", incomplete) % {
            "count": incomplete}
    return [EvidenceLink(label=label, url=reverse("actionplans:list", kwargs={"project_id": project.pk}),
                         done=total > 0 and incomplete == 0)]


def share_done_or_started(project: Project, goal=None) -> Decimal | None:
    """The goal indicator: the share of actions done or started, in per cent (one decimal), or
    None when there is nothing to measure (no actions, or all cancelled)."""
    share = action_kpi(project=project).share_done_or_started
    if share is None:
        return None
    return (Decimal(share) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def register_all() -> None:
    """Registering twice is harmless: each registry is keyed."""
    from .demo import seed_actions

    panels.register(HOME_PANEL)
    evidence.register("action_plan", action_plan_evidence)
    register_indicator("action_plan", share_done_or_started)
    register_seeder(120, "actionplans", seed_actions)
