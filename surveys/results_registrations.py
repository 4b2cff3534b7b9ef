"""What survey results add to the projects app (called from surveys/registrations.py): the evidence of
the survey activities, the safety indicator on the project home, and the goal indicator.

All of it is aggregate (counts, the indicator), so county boards may see it (Perm.VIEW)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from projects import evidence, panels
from projects.evidence import EvidenceLink
from projects.selectors.plans import register_indicator
from trygga_platser.tenancy.access import Perm
from trygga_platser.tenancy.models import Project

from .indicator import SAFE_EVENING_KEY
from .models import MIN_GROUP_SIZE, Survey
from .selectors.results import survey_indicator, survey_latest

# Evidence kind (projects.Activity.evidence_kind) → survey kind.
EVIDENCE_KINDS = {
    "mapping_survey": Survey.Kind.MAPPING,
    "safety_survey": Survey.Kind.SAFETY,
    "followup_survey": Survey.Kind.FOLLOWUP,
    "partnership_survey": Survey.Kind.PARTNERSHIP,
}

# Goal indicators (Goal.indicator_key) a survey measures, in per cent.
SAFE_INDICATOR = SAFE_EVENING_KEY  # the share who feel safe late in the evening (100 − unsafe share)
UNSAFE_INDICATOR = "unsafe_evening"  # the share who feel unsafe (the Brå indicator itself)
INDICATOR_CHOICES = [
    (SAFE_INDICATOR, gettext_lazy("Share who feel safe late in the evening (%), latest safety or follow-up survey")),
    (UNSAFE_INDICATOR, gettext_lazy("Share who feel unsafe late in the evening (%), latest safety or follow-up "
                                    "survey")),
]


def _evidence_resolver(kind: str):
    def resolve(project: Project) -> list[EvidenceLink]:
        """One link per survey of the kind, done when it is published and has at least one response."""
        surveys = (Survey.objects.filter(project=project, kind=kind).annotate(n=Count("responses"))
                   .order_by("created_at", "pk"))
        links = []
        for survey in surveys:
            label = _("%(title)s: %(responses)s") % {
                "title": survey.title,
                "responses": ngettext("%(count)d response", "%(count)d responses", survey.n) % {"count": survey.n}}
            if survey.published_at is None:
                label += " – " + _("not published yet")
            links.append(EvidenceLink(label=label, done=survey.published_at is not None and survey.n > 0,
                                      url=reverse("surveys:results",
                                                  kwargs={"project_id": project.pk, "survey_id": survey.pk})))
        return links

    resolve.__name__ = f"{kind}_survey_evidence"
    return resolve


def home_panel_context(project: Project) -> dict[str, Any]:
    survey = survey_latest(project=project)
    if survey is None:
        return {"survey": None}
    baseline = survey.baseline if survey.baseline_id else None
    return {
        "survey": survey,
        "responses": survey.responses.count(),
        "indicator": survey_indicator(survey=survey),
        "baseline": baseline,
        "baseline_indicator": survey_indicator(survey=baseline) if baseline else None,
        "min_group": MIN_GROUP_SIZE,
    }


HOME_PANEL = panels.HomePanel(key="surveys", order=15, template="surveys/_home_panel.html",
                              context=home_panel_context, perm=Perm.VIEW)


def survey_goal_value(project: Project, goal) -> Decimal | None:
    """The goal's indicator in per cent (one decimal) from the latest safety or follow-up survey, or
    None when there is none, nobody is in the base, or the base is too small to show."""
    survey = survey_latest(project=project)
    if survey is None:
        return None
    indicator = survey_indicator(survey=survey)
    if indicator.share is None:
        return None
    key = getattr(goal, "indicator_key", "") or SAFE_INDICATOR
    percent = indicator.percent if key == UNSAFE_INDICATOR else indicator.safe_percent
    return Decimal(str(percent)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def survey_indicator_choices(project: Project) -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in INDICATOR_CHOICES]


def register() -> None:
    for evidence_kind, survey_kind in EVIDENCE_KINDS.items():
        evidence.register(evidence_kind, _evidence_resolver(survey_kind))
    panels.register(HOME_PANEL)
    register_indicator("survey", survey_goal_value, keys=survey_indicator_choices)
