from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from trygga_platser.tenancy.demo import register_seeder

        from .demo import seed_projects
        from .demo_workflow import seed_workflow
        from .reports import register_report_kinds
        from .reports_sitewalk import register_meetings
        from .selectors.plans import register_evidence_resolvers

        register_report_kinds()
        register_meetings()  # the site-walk protocol and the meeting evidence (SPEC §3.6)
        register_evidence_resolvers()  # partnership, goals, joint case, coaching (SPEC §3.7–§3.9)
        register_seeder(100, "projects", seed_projects)
        register_seeder(110, "projects.workflow", seed_workflow)
