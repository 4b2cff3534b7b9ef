"""What the analysis app adds to the core and the projects app (called from AnalysisConfig.ready()):
evidence of the inspection and current-state activities, report kinds, the demo.
Each sub-domain registers from its own module; registering twice is harmless (keyed registries)."""
from __future__ import annotations


def register_all() -> None:
    pass
