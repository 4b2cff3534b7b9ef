"""Reads of a survey's distribution (SPEC §5.2): counts and response rate, the invitation list, the
project members who could still be invited. Each is a fixed number of queries, however many
invitations there are."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from trygga_platser.tenancy.models import Project, ProjectMembership

from ..models import Invitation, Survey


@dataclass(frozen=True)
class DistributionCounts:
    invited: int
    sent: int
    answered: int  # invitations used
    responses: int  # every response, through invitations and the public link

    @property
    def public_responses(self) -> int:
        return max(self.responses - self.answered, 0)

    @property
    def response_rate(self) -> float | None:
        """Share of the sent invitations that were answered (0..1); None before any was sent."""
        return self.answered / self.sent if self.sent else None

    @property
    def response_percent(self) -> int | None:
        rate = self.response_rate
        return None if rate is None else round(rate * 100)


def distribution_counts(*, survey: Survey) -> DistributionCounts:
    """Aggregates only: safe for every role that may see the survey."""
    totals = Invitation.objects.filter(survey=survey).aggregate(
        invited=Count("pk"),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        answered=Count("pk", filter=Q(used_on__isnull=False)),
    )
    return DistributionCounts(responses=survey.responses.count(), **totals)


def invitations_for_survey(*, survey: Survey) -> QuerySet[Invitation]:
    """The invitation list (personal data: e-mail addresses). Never says which response is whose."""
    return (Invitation.objects.filter(survey=survey)
            .only("pk", "survey_id", "email", "category", "sent_at", "reminders_sent", "used_on")
            .order_by("email"))


def members_to_invite(*, project: Project, survey: Survey) -> list[ProjectMembership]:
    """Project members with an e-mail address who are not yet invited to the survey."""
    invited = set(Invitation.objects.filter(survey=survey).values_list("email", flat=True))
    memberships = (ProjectMembership.objects.filter(project=project, user__is_active=True)
                   .exclude(user__email="").select_related("user").order_by("user__full_name", "user__email"))
    return [m for m in memberships if m.user.email.casefold() not in invited]
