"""The Handlingsplan (action plan) report kind (SPEC §9, issue 6).

County boards may request it (Perm.VIEW), so it names no person: responsibility is given as the
responsible organisation, and free text (descriptions, progress notes) is left out.
`register_report_kinds()` is called from ActionplansConfig.ready().
"""
from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from projects.models import WorkArea
from trygga_platser.reports.registry import ReportKind, register
from trygga_platser.tenancy.access import Perm

from .charts import action_map_svg, actions_with_point, level_label, priority_matrix, priority_matrix_svg, status_legend
from .models import Action
from .selectors.actions import action_kpi


def _context(report, project) -> dict[str, Any]:
    today = timezone.localdate()
    actions = list(Action.objects.filter(project=project).order_by("number"))
    groups = []
    for value, label in WorkArea.choices:
        in_category = [a for a in actions if a.category == value]
        if in_category:
            groups.append({"category": value, "label": label, "actions": in_category})
    for action in actions:
        action.overdue = action.is_overdue(today)
    grid = priority_matrix(actions)
    return {
        "today": today,
        "kpi": action_kpi(project=project, today=today),
        "actions": actions,
        "groups": groups,
        "matrix": grid,
        "matrix_rows": [(level_label(row[0].impact), row) for row in grid.rows],
        "effort_labels": [level_label(level) for level in (1, 2, 3)],
        "matrix_svg": priority_matrix_svg(grid, width=620, svg_id="pdf-matrix"),
        "map_svg": action_map_svg(project=project, actions=actions, width=620, height=420, svg_id="pdf-map"),
        "located": actions_with_point(actions),
        "legend": status_legend(),
    }


def _filename(report, project) -> str:
    return f"handlingsplan-{slugify(project.name)}-{report.pk}.pdf"


ACTION_PLAN = ReportKind(
    key="action_plan",
    title=_("Action plan"),
    template="actionplans/pdf/action_plan.html",
    context=_context,
    perm=Perm.VIEW,
    filename=_filename,
)


def register_report_kinds() -> None:
    register(ACTION_PLAN)
