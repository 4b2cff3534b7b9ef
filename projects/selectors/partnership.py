"""Reads of the partnership organisation (SPEC §3.7), in a fixed number of queries.

`partnership_overview` holds personal data (contact persons, group members) and is for views
resolved with Perm.VIEW_PERSONAL. `partnership_summary` holds numbers only, so the project home may
show it to a county board (Perm.VIEW).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trygga_platser.tenancy.models import Project, ProjectMembership, StakeholderCategory

from ..evidence import EvidenceLink
from ..models import Actor, ActorContact, GroupMember, PartnershipDocument, PartnershipGroup


@dataclass(frozen=True)
class CategoryCount:
    category: str
    label: str
    count: int


@dataclass
class PartnershipSummary:
    """Numbers only: actors per stakeholder category, groups, whether an agreement is uploaded."""

    categories: list[CategoryCount] = field(default_factory=list)
    groups: int = 0
    groups_with_members: int = 0
    documents: int = 0

    @property
    def actors(self) -> int:
        return sum(c.count for c in self.categories)


def partnership_summary(*, project: Project) -> PartnershipSummary:
    """Actors per stakeholder category (in the order of SPEC §4.3), groups and documents; 3 queries."""
    counts = dict(
        Actor.objects.filter(project=project).values_list("category").annotate(n=Count("pk")).order_by()
    )
    groups = PartnershipGroup.objects.filter(project=project).aggregate(
        total=Count("pk", distinct=True),
        with_members=Count("pk", distinct=True, filter=Q(members__isnull=False)),
    )
    return PartnershipSummary(
        categories=[CategoryCount(value, str(label), counts[value])
                    for value, label in StakeholderCategory.choices if counts.get(value)],
        groups=groups["total"] or 0,
        groups_with_members=groups["with_members"] or 0,
        documents=PartnershipDocument.objects.filter(project=project).count(),
    )


@dataclass
class PartnershipOverview:
    actors: list[Actor]
    groups: list[PartnershipGroup]
    documents: list[PartnershipDocument]
    memberships: dict[int, ProjectMembership]  # user id → their project membership (for the organisation)
    summary: PartnershipSummary


def partnership_overview(*, project: Project) -> PartnershipOverview:
    """The whole partnership page in a constant number of queries, however large it grows."""
    actors = list(
        Actor.objects.filter(project=project).prefetch_related(
            Prefetch("contacts", queryset=ActorContact.objects.order_by("name", "pk"))
        )
    )
    groups = list(
        PartnershipGroup.objects.filter(project=project).prefetch_related(
            Prefetch("members", queryset=GroupMember.objects.select_related("user", "contact__actor").order_by(
                "role", "pk"))
        )
    )
    documents = list(PartnershipDocument.objects.filter(project=project).select_related("uploaded_by"))
    memberships = {m.user_id: m for m in ProjectMembership.objects.filter(project=project)}
    # Chair, convener and secretary first, then the members, each by name.
    order = {GroupMember.Role.CHAIR: 0, GroupMember.Role.CONVENER: 1, GroupMember.Role.SECRETARY: 2}
    for group in groups:
        group.sorted_members = sorted(group.members.all(), key=lambda m: (order.get(m.role, 9), m.display_name))
        for member in group.sorted_members:
            if member.contact_id:
                member.organisation_label = member.contact.actor.name
            else:
                membership = memberships.get(member.user_id)
                member.organisation_label = membership.organisation_name if membership else ""
    return PartnershipOverview(
        actors=actors, groups=groups, documents=documents, memberships=memberships,
        summary=_summary_from(actors, groups, documents),
    )


def _summary_from(actors: list[Actor], groups: list[PartnershipGroup], documents: list) -> PartnershipSummary:
    counts: dict[str, int] = {}
    for actor in actors:
        counts[actor.category] = counts.get(actor.category, 0) + 1
    return PartnershipSummary(
        categories=[CategoryCount(value, str(label), counts[value])
                    for value, label in StakeholderCategory.choices if counts.get(value)],
        groups=len(groups),
        groups_with_members=sum(1 for g in groups if g.sorted_members),
        documents=len(documents),
    )


def group_member_choices(*, project: Project, group: PartnershipGroup | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """People who can sit in a group: the project's members and the actors' contact persons, less
    those already in `group`.

    Values are "user:<id>" or "contact:<id>"; the form turns them back into objects of this project.
    """
    seated_users: set[int] = set()
    seated_contacts: set[int] = set()
    if group is not None:
        for user_id, contact_id in group.members.values_list("user_id", "contact_id"):
            seated_users.add(user_id)
            seated_contacts.add(contact_id)
    members = [
        (f"user:{m.user_id}", f"{m.user.get_full_name()}" + (f" ({m.organisation_name})" if m.organisation_name else ""))
        for m in ProjectMembership.objects.filter(project=project).select_related("user").order_by(
            "user__full_name", "user__email")
        if m.user_id not in seated_users
    ]
    contacts = [
        (f"contact:{c.pk}", f"{c.name} ({c.actor.name})")
        for c in ActorContact.objects.filter(actor__project=project).select_related("actor").order_by("name", "pk")
        if c.pk not in seated_contacts
    ]
    choices = []
    if members:
        choices.append((_("Project members"), members))
    if contacts:
        choices.append((_("Contact persons of the actors"), contacts))
    return choices


def project_actors(*, project: Project) -> QuerySet[Actor]:
    return Actor.objects.filter(project=project).order_by("name")


# ------------------------------------------------------------------------------------------------
# Evidence (SPEC §3: an activity links to what shows it was carried out)
# ------------------------------------------------------------------------------------------------
def partnership_evidence(project: Project) -> list[EvidenceLink]:
    """Done when a steering or working group with at least one member exists."""
    summary = PartnershipGroup.objects.filter(project=project).aggregate(
        groups=Count("pk", distinct=True),
        staffed=Count("pk", distinct=True, filter=Q(
            kind__in=[PartnershipGroup.Kind.STEERING, PartnershipGroup.Kind.WORKING], members__isnull=False)),
    )
    actors = Actor.objects.filter(project=project).count()
    groups = summary["groups"] or 0
    label = _("Partnership organisation: %(actors)s, %(groups)s") % {
        "actors": ngettext("%(count)d actor", "%(count)d actors", actors) % {"count": actors},
        "groups": ngettext("%(count)d group", "%(count)d groups", groups) % {"count": groups},
    }
    return [EvidenceLink(personal=True, label=label, url=reverse("projects:partnership", kwargs={"project_id": project.pk}),
                         done=bool(summary["staffed"]))]
