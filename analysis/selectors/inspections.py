"""Reads of safety inspections (SPEC §6.1): aspect sets, thresholds, colours, aspect means and points.

Cross-app contract (/tmp/contracts.md, H5): `thresholds_for`, `score_colour`, `aspect_scores`,
`inspection_points_for_map`, `open_findings`. Every function runs a fixed number of queries,
whatever the number of inspections, points and scores.

Aspect means are grouped by the aspect's `key`, not its row: an organisation that copies the
shipped set keeps the keys, so a baseline scored on the shipped set and a follow-up scored on the
organisation's own copy still compare aspect by aspect.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from actionplans.models import ActionFinding
from trygga_platser.tenancy.access import project_child_get
from trygga_platser.tenancy.models import Organisation, Project

from ..models import (
    Aspect,
    Factor,
    FactorScore,
    Inspection,
    InspectionPoint,
    ScoreThresholds,
)

RED, YELLOW, GREEN = "red", "yellow", "green"
COLOURS = (RED, YELLOW, GREEN)


# --- aspect sets and thresholds -----------------------------------------------------------------

def organisation_has_own_aspects(*, organisation: Organisation | None) -> bool:
    return organisation is not None and Aspect.objects.filter(organisation=organisation).exists()


def aspects_for(*, organisation: Organisation | None, include_retired: bool = False) -> list[Aspect]:
    """The organisation's own aspects if it has copied the set, else the shipped ones; each with
    `.factor_list` (active factors only unless `include_retired`). Two queries."""
    own = Aspect.objects.filter(organisation=organisation) if organisation is not None else Aspect.objects.none()
    qs = own if own.exists() else Aspect.objects.filter(organisation__isnull=True)
    factors = Factor.objects.order_by("position", "pk")
    if not include_retired:
        qs = qs.filter(active=True)
        factors = factors.filter(active=True)
    aspects = list(qs.order_by("position", "pk").prefetch_related(Prefetch("factors", queryset=factors,
                                                                           to_attr="factor_list")))
    return aspects


def active_factor_ids(*, organisation: Organisation | None) -> set[int]:
    """Ids of the factors an inspection in this organisation may score now."""
    aspects = aspects_for(organisation=organisation)
    return {factor.pk for aspect in aspects for factor in aspect.factor_list}


def thresholds_for(*, organisation: Organisation | None) -> ScoreThresholds:
    """The organisation's own thresholds, else the shipped default (red below 8, green from 14)."""
    rows = {t.organisation_id: t for t in ScoreThresholds.objects.filter(
        Q(organisation__isnull=True) | Q(organisation=organisation) if organisation is not None
        else Q(organisation__isnull=True))}
    if organisation is not None and organisation.pk in rows:
        return rows[organisation.pk]
    return rows.get(None) or ScoreThresholds(organisation=None, red_below=8, green_from=14)


def score_colour(score: float | None, thresholds: ScoreThresholds) -> str | None:
    """"red" below `red_below`, "green" from `green_from`, "yellow" between; None for no score.

    A mean is compared as it is (7.9 is red with the default thresholds, 13.5 yellow)."""
    if score is None:
        return None
    if score < thresholds.red_below:
        return RED
    if score >= thresholds.green_from:
        return GREEN
    return YELLOW


# --- aspect means ------------------------------------------------------------------------------

@dataclass(frozen=True)
class AspectScore:
    key: str
    name: str
    mean: float | None  # mean of every factor score of the aspect; None when nothing is scored
    colour: str | None
    n: int  # number of factor scores behind the mean
    points: int = 0  # number of points with at least one score of the aspect


def _aspect_rows(scores: QuerySet[FactorScore], *, organisation: Organisation | None,
                 thresholds: ScoreThresholds, aspects: list[Aspect] | None = None) -> list[AspectScore]:
    """Aspect means of `scores`, in the order of the organisation's set; aspects that are no longer
    in the set but were scored come last. Two or three queries."""
    aspects = aspects if aspects is not None else aspects_for(organisation=organisation)
    stats = {row["factor__aspect__key"]: row for row in scores.values("factor__aspect__key").annotate(
        mean=Avg("score"), n=Count("pk"), points=Count("point", distinct=True)).order_by()}
    names = {aspect.key: aspect.localized_name() for aspect in aspects}
    missing = [key for key in stats if key not in names]
    if missing:
        for aspect in Aspect.objects.filter(key__in=missing).order_by("organisation_id", "position"):
            names.setdefault(aspect.key, aspect.localized_name())
    rows = []
    for key in [a.key for a in aspects] + sorted(missing):
        stat = stats.get(key)
        mean = float(stat["mean"]) if stat else None
        rows.append(AspectScore(key=key, name=names[key], mean=mean, colour=score_colour(mean, thresholds),
                                n=stat["n"] if stat else 0, points=stat["points"] if stat else 0))
    return rows


def aspect_scores(*, project: Project, purpose: str = Inspection.Purpose.BASELINE) -> list[AspectScore]:
    """Mean of all factor scores per aspect over the project's inspections of `purpose`."""
    organisation = project.municipality
    scores = FactorScore.objects.filter(point__inspection__project=project, point__inspection__purpose=purpose)
    return _aspect_rows(scores, organisation=organisation, thresholds=thresholds_for(organisation=organisation))


def inspection_aspect_scores(*, inspection: Inspection, thresholds: ScoreThresholds | None = None,
                             aspects: list[Aspect] | None = None) -> list[AspectScore]:
    organisation = inspection.project.municipality
    thresholds = thresholds or thresholds_for(organisation=organisation)
    scores = FactorScore.objects.filter(point__inspection=inspection)
    return _aspect_rows(scores, organisation=organisation, thresholds=thresholds, aspects=aspects)


@dataclass(frozen=True)
class AspectComparison:
    """One aspect's baseline against follow-up (SPEC §8: inspection baseline against follow-up per aspect)."""

    key: str
    name: str
    baseline: AspectScore
    followup: AspectScore

    @property
    def change(self) -> float | None:
        if self.baseline.mean is None or self.followup.mean is None:
            return None
        return self.followup.mean - self.baseline.mean


def aspect_comparison(*, project: Project) -> list[AspectComparison]:
    """Baseline and follow-up means side by side, aspect by aspect (empty list when either is missing)."""
    baseline = aspect_scores(project=project, purpose=Inspection.Purpose.BASELINE)
    followup = {row.key: row for row in aspect_scores(project=project, purpose=Inspection.Purpose.FOLLOWUP)}
    if not any(r.n for r in baseline) or not any(r.n for r in followup.values()):
        return []
    empty = AspectScore(key="", name="", mean=None, colour=None, n=0)
    keys = [r.key for r in baseline] + [k for k in followup if k not in {r.key for r in baseline}]
    base = {r.key: r for r in baseline}
    return [AspectComparison(key=k, name=(base.get(k) or followup[k]).name, baseline=base.get(k, empty),
                             followup=followup.get(k, empty)) for k in keys]


# --- points ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PointSummary:
    pk: int
    number: int
    name: str
    lat: float
    lon: float
    mean: float | None  # mean of all the point's factor scores
    colour: str | None
    finding: str
    inspection_id: int
    inspection_title: str
    time_of_day: str
    has_photo: bool
    action_code: str | None = None  # "A3" when an action answers the finding
    action_id: int | None = None
    score_count: int = 0

    @property
    def is_open_finding(self) -> bool:
        return bool(self.finding.strip()) and self.action_id is None


def point_actions(*, project: Project, point_ids: Iterable[int] | None = None) -> dict[int, tuple[int, str]]:
    """{point id: (action id, action code)} for inspection points that an action answers. One query."""
    links = ActionFinding.objects.filter(kind=ActionFinding.Kind.INSPECTION_POINT, action__project=project)
    if point_ids is not None:
        links = links.filter(ref__in=[str(pk) for pk in point_ids])
    result: dict[int, tuple[int, str]] = {}
    for ref, action_id, number in links.order_by("action__number").values_list("ref", "action_id", "action__number"):
        if ref.isdigit():
            result.setdefault(int(ref), (action_id, f"A{number}"))
    return result


def _points_with_means(points: QuerySet[InspectionPoint]) -> QuerySet[InspectionPoint]:
    return points.select_related("inspection").annotate(mean=Avg("scores__score"), score_count=Count("scores"))


def _summaries(points: list[InspectionPoint], *, thresholds: ScoreThresholds,
               actions: dict[int, tuple[int, str]]) -> list[PointSummary]:
    result = []
    for point in points:
        mean = float(point.mean) if point.mean is not None else None
        action_id, code = actions.get(point.pk, (None, None))
        result.append(PointSummary(
            pk=point.pk, number=point.number, name=point.name, lat=point.lat, lon=point.lon, mean=mean,
            colour=score_colour(mean, thresholds), finding=point.finding, inspection_id=point.inspection_id,
            inspection_title=point.inspection.title, time_of_day=point.inspection.time_of_day,
            has_photo=bool(point.photo), action_code=code, action_id=action_id, score_count=point.score_count,
        ))
    return result


def inspection_points_for_map(*, project: Project) -> list[PointSummary]:
    """Every point of the project's inspections with its mean and colour. Three queries."""
    points = list(_points_with_means(InspectionPoint.objects.filter(inspection__project=project))
                  .order_by("-inspection__date", "inspection_id", "number"))
    return _summaries(points, thresholds=thresholds_for(organisation=project.municipality),
                      actions=point_actions(project=project))


def open_findings(*, project: Project) -> list[PointSummary]:
    """Points with a finding that no action answers yet."""
    return [p for p in inspection_points_for_map(project=project) if p.is_open_finding]


# --- one inspection ----------------------------------------------------------------------------

@dataclass
class InspectionDetail:
    inspection: Inspection
    thresholds: ScoreThresholds
    points: list[PointSummary]
    aspects: list[AspectScore]
    point_aspects: dict[int, dict[str, float]] = field(default_factory=dict)  # point id → aspect key → mean

    @property
    def scored_points(self) -> int:
        return sum(1 for p in self.points if p.score_count)

    @property
    def open_findings(self) -> list[PointSummary]:
        return [p for p in self.points if p.is_open_finding]


def inspections_for_project(*, project: Project) -> list[Inspection]:
    """The project's inspections, latest first, with `point_count` and `mean`. One query."""
    return list(Inspection.objects.filter(project=project).annotate(
        point_count=Count("points", distinct=True), mean=Avg("points__scores__score")).order_by("-date", "-pk"))


def inspection_detail(*, inspection: Inspection) -> InspectionDetail:
    """An inspection's points with their means and action links and its aspect summary, in a fixed
    number of queries."""
    project = inspection.project
    thresholds = thresholds_for(organisation=project.municipality)
    points = list(_points_with_means(inspection.points.all()).order_by("number"))
    summaries = _summaries(points, thresholds=thresholds,
                           actions=point_actions(project=project, point_ids=[p.pk for p in points]))
    point_aspects: dict[int, dict[str, float]] = {}
    for row in (FactorScore.objects.filter(point__inspection=inspection)
                .values("point_id", "factor__aspect__key").annotate(mean=Avg("score")).order_by()):
        point_aspects.setdefault(row["point_id"], {})[row["factor__aspect__key"]] = float(row["mean"])
    return InspectionDetail(inspection=inspection, thresholds=thresholds, points=summaries,
                            aspects=inspection_aspect_scores(inspection=inspection, thresholds=thresholds),
                            point_aspects=point_aspects)


def point_scores(*, point: InspectionPoint) -> dict[int, int]:
    """{factor id: score} of one point."""
    return dict(point.scores.values_list("factor_id", "score"))


# --- a point as a finding of the action plan ---------------------------------------------------

# The work area (SPEC §1) an action on a point most likely belongs to, by the point's weakest
# aspect; safety for every aspect not listed.
ASPECT_WORK_AREA = {"forvaltning": "renhallning", "mix-av-funktioner": "utbud", "mix-av-manniskor": "aktiviteter"}
SAFETY_WORK_AREA = "sakerhet"


@dataclass(frozen=True)
class PointFinding:
    """What the new-action form starts from, and the label the action keeps of its finding."""

    point: InspectionPoint
    ref: str
    label: str
    title: str
    description: str
    category: str
    lat: float
    lon: float


def point_finding(*, project: Project, point_id: str) -> PointFinding:
    """One of the project's inspection points as a finding, or Http404."""
    point = project_child_get(InspectionPoint.objects.select_related("inspection"), project=project, pk=point_id,
                              project_field="inspection__project")
    weakest = (FactorScore.objects.filter(point=point).values("factor__aspect__key")
               .annotate(mean=Avg("score")).order_by("mean", "factor__aspect__key").first())
    category = ASPECT_WORK_AREA.get(weakest["factor__aspect__key"], SAFETY_WORK_AREA) if weakest else SAFETY_WORK_AREA
    finding = point.finding.strip()
    first_line = finding.splitlines()[0] if finding else point.name
    label = _("Point %(number)s “%(name)s”: %(finding)s") % {
        "number": point.number, "name": point.name, "finding": first_line}
    description = _("From the safety inspection “%(title)s” (%(date)s), point %(number)s “%(name)s”.") % {
        "title": point.inspection.title, "date": point.inspection.date.isoformat(), "number": point.number,
        "name": point.name}
    if finding:
        description = f"{finding}\n\n{description}"
    return PointFinding(point=point, ref=str(point.pk), label=label[:300], title=first_line[:200],
                        description=description, category=category, lat=point.lat, lon=point.lon)
