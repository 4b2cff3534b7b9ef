"""Survey answers as findings of the action plan (SPEC §7.1: an action answers a map answer)."""
from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from trygga_platser.tenancy.models import Project

from ..models import Answer, Question


@dataclass(frozen=True)
class FindingPrefill:
    """What the new-action form starts from, and the label the action keeps of its finding."""

    ref: str
    label: str
    description: str
    lat: float | None
    lon: float | None


def map_answer_finding(*, project: Project, answer_id: str) -> FindingPrefill:
    """A map answer of one of the project's surveys, or Http404 (another project's, or not a map answer).

    The respondent's "why" is free text; only coordinators create actions (Perm.EDIT and above see it
    on the results page as well), and the text carries no identity (SPEC §5.4)."""
    try:
        answer = (Answer.objects.select_related("question")
                  .get(pk=int(answer_id), question__kind=Question.Kind.MAP, question__survey__project=project))
    except (ValueError, TypeError, Answer.DoesNotExist):
        raise Http404("No such map answer.") from None
    categories = {c.get("value"): c.get("label") for c in answer.question.config.get("categories", [])}
    category = categories.get(answer.map_category, answer.map_category)
    why = answer.text.strip()
    label = f"{category}: {why}" if category and why else (category or why or answer.question.text)
    return FindingPrefill(ref=str(answer.pk), label=label[:300], description=why, lat=answer.lat, lon=answer.lon)
