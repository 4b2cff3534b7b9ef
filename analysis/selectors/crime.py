"""Reads of crime statistics (SPEC §6.3): the trend per category over the years."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from trygga_platser.tenancy.models import Project

from ..models import CrimeStatistic


@dataclass
class CrimeTrend:
    """Police-reported crimes per category and year. A category without a figure for a year has
    None there (not 0: a missing figure is not "no crimes"). `total` sums what is known per year.
    Figures of several sub-areas of a category are added together."""

    years: list[int] = field(default_factory=list)
    series: list[tuple[str, list[int | None]]] = field(default_factory=list)
    total: list[int] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)  # the sub-areas named in the figures, if any
    count: int = 0  # stored figures

    @property
    def is_empty(self) -> bool:
        return not self.years

    @property
    def rows(self) -> list[tuple[str, list[int | None]]]:
        """The table: categories, then the total."""
        return self.series

    @property
    def latest_change(self) -> tuple[int, int, int] | None:
        """(previous total, latest total, change in per cent) of the last two years, if both exist."""
        if len(self.total) < 2 or not self.total[-2]:
            return None
        before, after = self.total[-2], self.total[-1]
        return before, after, round((after - before) / before * 100)


def crime_trend(*, project: Project) -> CrimeTrend:
    """One query, whatever the number of figures."""
    rows = list(CrimeStatistic.objects.filter(project=project).values_list("year", "category", "area", "count"))
    if not rows:
        return CrimeTrend()
    years = sorted({year for year, _c, _a, _n in rows})
    index = {year: i for i, year in enumerate(years)}
    by_category: dict[str, list[int | None]] = defaultdict(lambda: [None] * len(years))
    spelling: dict[str, str] = {}
    for year, category, _area, count in rows:
        key = category.casefold()
        spelling.setdefault(key, category)
        values = by_category[key]
        values[index[year]] = (values[index[year]] or 0) + count
    series = sorted(((spelling[key], values) for key, values in by_category.items()), key=lambda s: s[0].casefold())
    total = [sum(v for _label, values in series if (v := values[i]) is not None) for i in range(len(years))]
    areas = sorted({area for _y, _c, area, _n in rows if area})
    return CrimeTrend(years=years, series=series, total=total, areas=areas, count=len(rows))
