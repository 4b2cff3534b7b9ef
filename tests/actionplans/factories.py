"""factory_boy factories for the action plan (shared: other action-plan tests import these)."""
from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from actionplans.models import Action, ActionFinding, ActionUpdate
from projects.models import WorkArea

from ..factories import ProjectFactory, UserFactory


class ActionFactory(DjangoModelFactory):
    """An open action; `number` is unique across the run, so any project can take several."""

    class Meta:
        model = Action

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Åtgärd {n}")
    category = WorkArea.SAFETY
    status = Action.Status.PLANNED
    impact = 2
    effort = 2
    # Action.created_by is null=True without blank=True, so action_update's full_clean needs it.
    created_by = factory.SubFactory(UserFactory)


class ActionFindingFactory(DjangoModelFactory):
    class Meta:
        model = ActionFinding

    action = factory.SubFactory(ActionFactory)
    kind = ActionFinding.Kind.OBSERVATION
    ref = factory.Sequence(lambda n: str(n + 1))
    label = "Trasig belysning"


class ActionUpdateFactory(DjangoModelFactory):
    class Meta:
        model = ActionUpdate

    action = factory.SubFactory(ActionFactory)
    note = "Armaturerna är beställda"
    author = factory.SubFactory(UserFactory)
    status_before = factory.SelfAttribute("action.status")
    status_after = factory.SelfAttribute("action.status")
