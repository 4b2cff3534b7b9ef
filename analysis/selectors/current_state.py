"""Reads of the current-state analysis (nulägesanalys, SPEC §6.4): everything the page and the
report bring together, gathered in a fixed number of queries however many answers, points,
audits and observations the project has.

What it holds is safe for everyone with Perm.VIEW (county boards too): survey aggregates with
small groups suppressed, map answers without the respondent's "why", scores, counts. The only free
text is the coordinator's own summary and conclusions, and, for readers who may see personal
data, the inspection points' findings (the templates decide, from `project.access`).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Min

from projects.models import Observation, WorkArea
from surveys.models import Survey
from surveys.selectors.results import (
    GroupIndicator,
    Indicator,
    MapAnswerPoint,
    ProblemShare,
    project_map_answers,
    survey_indicator,
    survey_indicator_by_group,
    survey_latest,
    survey_top_problems,
)
from trygga_platser.tenancy.models import Project

from ..models import CurrentStateAnalysis, Inspection, PointAudit
from .audits import PARAMETERS, AuditSummary, audits_for_map, parameter_label
from .crime import CrimeTrend, crime_trend
from .inspections import (
    AspectScore,
    PointSummary,
    aspect_scores,
    inspection_points_for_map,
    thresholds_for,
)

LOW_FEELING_MAX = 1  # an audit with feeling 0 or 1: the walker felt unsafe there


@dataclass(frozen=True)
class ObservationPoint:
    pk: int
    lat: float
    lon: float
    category: str
    category_label: str


@dataclass(frozen=True)
class CategoryCount:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class ParameterMean:
    key: str
    label: str
    mean: float | None  # 0–3


@dataclass
class SurveySection:
    survey: Survey | None = None
    indicator: Indicator | None = None
    groups: list[GroupIndicator] = field(default_factory=list)
    problems: list[ProblemShare] = field(default_factory=list)
    map_answers: list[MapAnswerPoint] = field(default_factory=list)
    map_categories: list[CategoryCount] = field(default_factory=list)
    response_count: int = 0

    @property
    def has_data(self) -> bool:
        return self.survey is not None or bool(self.map_answers)


@dataclass
class InspectionSection:
    inspection_count: int = 0
    first_date: object = None
    last_date: object = None
    aspects: list[AspectScore] = field(default_factory=list)
    points: list[PointSummary] = field(default_factory=list)
    red_below: int = 8
    green_from: int = 14
    photo_src: dict[int, str] = field(default_factory=dict)  # the report's embedded photos by point id

    @property
    def has_data(self) -> bool:
        return bool(self.inspection_count)

    @property
    def scored_aspects(self) -> list[AspectScore]:
        return [a for a in self.aspects if a.mean is not None]

    @property
    def open_finding_count(self) -> int:
        return sum(1 for p in self.points if p.is_open_finding)

    @property
    def colour_counts(self) -> dict[str, int]:
        counts = Counter(p.colour for p in self.points if p.colour)
        return {colour: counts.get(colour, 0) for colour in ("red", "yellow", "green")}


@dataclass
class AuditSection:
    audits: list[AuditSummary] = field(default_factory=list)
    parameters: list[ParameterMean] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.audits)

    @property
    def has_data(self) -> bool:
        return bool(self.audits)

    @property
    def mean_score(self) -> float | None:
        return sum(a.score for a in self.audits) / len(self.audits) if self.audits else None

    @property
    def low_feeling_count(self) -> int:
        return sum(1 for a in self.audits if a.feeling <= LOW_FEELING_MAX)

    @property
    def low_feeling_percent(self) -> float | None:
        return self.low_feeling_count / self.count * 100 if self.audits else None


@dataclass
class ObservationSection:
    by_category: list[CategoryCount] = field(default_factory=list)
    points: list[ObservationPoint] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(c.count for c in self.by_category)

    @property
    def has_data(self) -> bool:
        return self.count > 0


@dataclass
class CurrentState:
    project: Project
    analysis: CurrentStateAnalysis | None
    survey: SurveySection
    inspection: InspectionSection
    audits: AuditSection
    observations: ObservationSection
    crime: CrimeTrend

    @property
    def summary(self) -> str:
        return self.analysis.summary if self.analysis else ""

    @property
    def conclusions(self) -> str:
        return self.analysis.conclusions if self.analysis else ""

    @property
    def is_written(self) -> bool:
        return bool(self.summary.strip() and self.conclusions.strip())


def current_state_analysis_get(*, project: Project) -> CurrentStateAnalysis | None:
    return CurrentStateAnalysis.objects.filter(project=project).select_related("updated_by").first()


def _survey_section(project: Project) -> SurveySection:
    section = SurveySection(map_answers=project_map_answers(project=project))
    counts = Counter((a.category, a.category_label) for a in section.map_answers)
    section.map_categories = sorted((CategoryCount(key=key, label=label, count=n) for (key, label), n in counts.items()),
                                    key=lambda c: (-c.count, c.label.lower()))
    survey = survey_latest(project=project)
    if survey is None:
        return section
    section.survey = survey
    section.response_count = survey.responses.count()
    section.indicator = survey_indicator(survey=survey)
    section.groups = survey_indicator_by_group(survey=survey)
    section.problems = survey_top_problems(survey=survey)
    return section


def _inspection_section(project: Project) -> InspectionSection:
    stats = Inspection.objects.filter(project=project).aggregate(n=Count("pk"), first=Min("date"), last=Max("date"))
    thresholds = thresholds_for(organisation=project.municipality)
    section = InspectionSection(inspection_count=stats["n"] or 0, first_date=stats["first"], last_date=stats["last"],
                                red_below=thresholds.red_below, green_from=thresholds.green_from)
    if section.inspection_count:
        section.aspects = aspect_scores(project=project)
        section.points = inspection_points_for_map(project=project)
    return section


def _audit_section(project: Project) -> AuditSection:
    section = AuditSection(audits=audits_for_map(project=project))
    if section.audits:
        means = PointAudit.objects.filter(project=project).aggregate(**{key: Avg(key) for key in PARAMETERS})
        section.parameters = [ParameterMean(key=key, label=parameter_label(key),
                                            mean=float(means[key]) if means[key] is not None else None)
                              for key in PARAMETERS]
    return section


def _observation_section(project: Project) -> ObservationSection:
    # Only category and place: an observation's text may name people, and county boards read this.
    observations = Observation.objects.filter(meeting__project=project)
    labels = dict(WorkArea.choices)
    counts = dict(observations.values_list("category").annotate(n=Count("pk")).order_by())
    by_category = [CategoryCount(key=key, label=str(labels.get(key, key)), count=counts[key])
                   for key in [*labels, *sorted(set(counts) - set(labels))] if counts.get(key)]
    points = [ObservationPoint(pk=pk, lat=lat, lon=lon, category=category,
                               category_label=str(labels.get(category, category)))
              for pk, lat, lon, category in observations.filter(lat__isnull=False, lon__isnull=False)
              .values_list("pk", "lat", "lon", "category").order_by("pk")]
    return ObservationSection(by_category=by_category, points=points)


def current_state_get(*, project: Project) -> CurrentState:
    """Everything of the nulägesanalys; about twenty queries, however much data there is."""
    return CurrentState(
        project=project,
        analysis=current_state_analysis_get(project=project),
        survey=_survey_section(project),
        inspection=_inspection_section(project),
        audits=_audit_section(project),
        observations=_observation_section(project),
        crime=crime_trend(project=project),
    )
