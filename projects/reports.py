"""Report kinds of the projects app, registered with the core in ProjectsConfig.ready()."""
from __future__ import annotations

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from trygga_platser.reports.registry import ReportKind, register
from trygga_platser.reports.svg import area_map_svg
from trygga_platser.tenancy.access import Perm


def _summary_context(report, project) -> dict:
    from .selectors.workflow import plan_timeline_svg, project_plan, variant_title

    plan = project_plan(project=project)
    return {
        "variant_title": variant_title(project.variant),
        "plan": plan,
        "timeline": plan_timeline_svg(plan=plan, width=640),
        "programmes": list(project.programmes.all()),
        "member_count": project.memberships.count(),
        "area_svg": area_map_svg(
            area=project.area,
            title=str(_("Map of the area: %(place)s") % {"place": project.place_name}),
            description=str(_("The project's area drawn as a polygon, north up.")),
            width=480,
            height=300,
        ),
    }


def _summary_filename(report, project) -> str:
    return f"projektsammanfattning-{slugify(project.name)}-{report.pk}.pdf"


PROJECT_SUMMARY = ReportKind(
    key="project_summary",
    title=_("Project summary"),
    template="projects/reports/project_summary.html",
    context=_summary_context,
    perm=Perm.VIEW,
    filename=_summary_filename,
)


def register_report_kinds() -> None:
    register(PROJECT_SUMMARY)
