"""Reads of point audits (SPEC §6.2): scores, the map and which parameters go with a low feeling.

Cross-app contract (/tmp/contracts.md, H5): `audit_score`, `audits_for_map`, `audit_parameter_feeling`.
Nothing here names the author: these are safe for everyone with Perm.VIEW (county boards too).

The 0–100 score is coloured with the organisation's inspection thresholds scaled from 0–20 to
0–100 (default: red below 40, green from 70), so one palette means the same on every map.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from trygga_platser.tenancy.models import Project

from ..models import AUDIT_MAX, SCORE_MAX, PointAudit, ScoreThresholds
from .inspections import score_colour, thresholds_for

PARAMETERS: tuple[str, ...] = PointAudit.PARAMETERS
LOW_FEELING_MAX = 1  # feeling 0 or 1 counts as a low feeling
MIN_CORRELATION_N = 5  # fewer audits than this: no correlation is computed


def parameter_label(key: str) -> str:
    return str(PointAudit._meta.get_field(key).verbose_name)


def audit_score(audit: PointAudit) -> float:
    """0–100: the mean of the eight parameters divided by 3, times 100."""
    values = [getattr(audit, key) for key in PARAMETERS]
    return sum(values) / (len(values) * AUDIT_MAX) * 100


def audit_colour(score: float | None, thresholds: ScoreThresholds) -> str | None:
    """Colour of a 0–100 audit score, on the inspection thresholds scaled to 0–100."""
    if score is None:
        return None
    return score_colour(score * SCORE_MAX / 100, thresholds)


@dataclass(frozen=True)
class AuditSummary:
    pk: int
    lat: float
    lon: float
    score: float
    colour: str | None
    feeling: int
    date: date
    time_of_day: str = ""
    has_photo: bool = False


def _audits(project: Project) -> QuerySet[PointAudit]:
    return PointAudit.objects.filter(project=project).order_by("-date", "-pk")


def audit_summaries(audits: list[PointAudit], *, thresholds: ScoreThresholds) -> list[AuditSummary]:
    result = []
    for audit in audits:
        score = audit_score(audit)
        result.append(AuditSummary(pk=audit.pk, lat=audit.lat, lon=audit.lon, score=score,
                                   colour=audit_colour(score, thresholds), feeling=audit.feeling, date=audit.date,
                                   time_of_day=audit.time_of_day, has_photo=bool(audit.photo)))
    return result


def audits_for_project(*, project: Project) -> list[PointAudit]:
    """The project's audits with their authors, latest first (the audit list). One query."""
    return list(_audits(project).select_related("author"))


def audits_for_map(*, project: Project) -> list[AuditSummary]:
    """Every audit of the project with its score and colour, latest first. Two queries."""
    return audit_summaries(list(_audits(project).defer("note")),
                           thresholds=thresholds_for(organisation=project.municipality))


@dataclass(frozen=True)
class ParameterFeeling:
    """One parameter against the overall feeling: means in the low-feeling group and the rest, the
    difference (rest − low; large = the parameter is much worse where people feel unsafe), and the
    Spearman correlation with the feeling over all audits (None when fewer than MIN_CORRELATION_N
    or when either column is constant)."""

    key: str
    label: str
    mean_low: float | None
    mean_rest: float | None
    difference: float | None
    rho: float | None
    p_value: float | None
    n_low: int
    n_rest: int

    @property
    def n(self) -> int:
        return self.n_low + self.n_rest


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def parameter_feeling_rows(rows: list[dict]) -> list[ParameterFeeling]:
    """The analysis on plain rows ({parameter: value, "feeling": value}); pure, for the tests."""
    from scipy.stats import spearmanr

    low = [row for row in rows if row["feeling"] <= LOW_FEELING_MAX]
    rest = [row for row in rows if row["feeling"] > LOW_FEELING_MAX]
    feelings = [row["feeling"] for row in rows]
    result = []
    for key in PARAMETERS:
        mean_low = _mean([row[key] for row in low])
        mean_rest = _mean([row[key] for row in rest])
        difference = mean_rest - mean_low if mean_low is not None and mean_rest is not None else None
        rho = p_value = None
        values = [row[key] for row in rows]
        if len(rows) >= MIN_CORRELATION_N and len(set(values)) > 1 and len(set(feelings)) > 1:
            statistic = spearmanr(values, feelings)
            if not math.isnan(statistic.statistic):
                rho, p_value = float(statistic.statistic), float(statistic.pvalue)
        result.append(ParameterFeeling(key=key, label=parameter_label(key), mean_low=mean_low, mean_rest=mean_rest,
                                       difference=difference, rho=rho, p_value=p_value, n_low=len(low),
                                       n_rest=len(rest)))
    return result


def audit_parameter_feeling(*, project: Project) -> list[ParameterFeeling]:
    """Which parameters go with a low feeling (feeling ≤ 1 against the rest). One query."""
    rows = list(_audits(project).values(*PARAMETERS, "feeling"))
    return parameter_feeling_rows(rows)

