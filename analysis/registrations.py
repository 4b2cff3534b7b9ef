"""What the analysis app adds to the core and the projects app (called from AnalysisConfig.ready()):
evidence of the inspection and current-state activities, report kinds, the demo.
Each sub-domain registers from its own module; registering twice is harmless (keyed registries)."""
from __future__ import annotations


def register_all() -> None:
    from .inspection_registrations import register as register_inspections  # H5
    register_inspections()
    from .demo import register as register_demo  # the demo analysis (H7)
    register_demo()
    from .current_state_registrations import register_current_state  # H6
    register_current_state()
