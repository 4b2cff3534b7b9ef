from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from trygga_platser.tenancy.demo import register_seeder

        from .demo import seed_projects
        from .reports import register_report_kinds

        register_report_kinds()
        register_seeder(100, "projects", seed_projects)
