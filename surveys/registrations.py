"""What the surveys app adds to the core and the projects app (called from SurveysConfig.ready()):
evidence of the survey activities, the home panel, the goal indicator, report kinds, the demo.
Each sub-domain registers from its own module; registering twice is harmless (keyed registries)."""
from __future__ import annotations


def register_all() -> None:
    pass
