"""Writes of the projects app, split by sub-domain (ARCHITECTURE.md: a module past ~400 lines
becomes a package)."""
from .projects import project_create, project_update
from .workflow import (
    StepHasOpenActivities,
    activity_add,
    activity_remove,
    activity_set_done,
    plan_instantiate,
    step_complete,
    step_reopen,
    step_update_dates,
)

__all__ = [
    "StepHasOpenActivities", "activity_add", "activity_remove", "activity_set_done", "plan_instantiate",
    "project_create", "project_update", "step_complete", "step_reopen", "step_update_dates",
]
