"""What the surveys app adds to the core and the projects app (called from SurveysConfig.ready()):
evidence of the survey activities, the home panel, the goal indicator, report kinds, the demo.
Each sub-domain registers from its own module; registering twice is harmless (keyed registries)."""
from __future__ import annotations


def register_all() -> None:
    from .results_registrations import (
        register as register_results,  # evidence, home panel, goal (H4)
    )
    register_results()
    from .reports import (
        register_report_kinds as register_poster,  # the survey poster (H3)
    )
    register_poster()
    from .demo import register as register_demo  # the demo surveys (H7)
    register_demo()
