from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionplansConfig(AppConfig):
    name = "actionplans"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        from .registrations import register_all
        from .reports import register_report_kinds

        register_all()  # the home panel, the evidence, the goal indicator, the demo (registrations.py)
        register_report_kinds()  # the Handlingsplan report (SPEC §9)
