"""The shared SVG charts: well-formed, described for screen readers, values in Swedish format,
bars proportional to their values, missing values said in words."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from trygga_platser.reports.charts import (
    Bar,
    Series,
    bar_chart_svg,
    grouped_bar_chart_svg,
    line_chart_svg,
)

NS = {"svg": "http://www.w3.org/2000/svg"}


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


def test_bar_chart_draws_bars_in_proportion_and_writes_values():
    # Given two shares on a 0–100 scale
    svg = bar_chart_svg([Bar("Dagtid", 20.0), Bar("Kväll", 40.0)], title="Otrygghet", max_value=100)

    # Then it is valid SVG with a title and a description naming both values
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.find("svg:title", NS).text == "Otrygghet"
    desc = root.find("svg:desc", NS).text
    assert "Dagtid: 20\u00a0%" in desc and "Kväll: 40\u00a0%" in desc
    # And the evening bar is twice as long as the daytime bar
    widths = [float(r.get("width")) for r in root.findall("svg:rect", NS)]
    assert widths[1] == pytest.approx(2 * widths[0], rel=0.01)


def test_bar_chart_says_when_a_value_is_missing():
    svg = bar_chart_svg([Bar("Polis", None, note="För få svar"), Bar("Boende", 33.3)], title="T", decimals=1)
    root = _parse(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "För få svar" in texts
    assert "33,3\u00a0%" in texts  # decimal comma
    assert len(root.findall("svg:rect", NS)) == 1  # no bar for the missing value


def test_bar_chart_escapes_labels():
    svg = bar_chart_svg([Bar("<script>x</script>", 5)], title="<b>", unit="")
    root = _parse(svg)  # still well-formed
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert root.find("svg:title", NS).text == "<b>"


def test_grouped_bars_have_a_legend_and_one_bar_per_series_value():
    svg = grouped_bar_chart_svg(["Kväll", "Dag"], [Series("2023", [42, 10]), Series("2025", [28, None])],
                                title="Före och efter", max_value=100)
    root = _parse(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "2023" in texts and "2025" in texts
    # 2 legend swatches + 3 bars (one value missing)
    assert len(root.findall("svg:rect", NS)) == 5


def test_line_chart_places_points_by_value():
    svg = line_chart_svg([Series("Skadegörelse", [10, 20, None, 40])], x_labels=["2021", "2022", "2023", "2024"],
                         title="Anmälda brott", y_max=40)
    root = _parse(svg)
    circles = root.findall("svg:circle", NS)
    points = [(float(c.get("cx")), float(c.get("cy"))) for c in circles]
    # three data points plus one legend marker
    assert len(points) == 4
    ys = [p[1] for p in points[:3]]
    assert ys[0] > ys[1] > ys[2]  # larger values are higher up (smaller y)
    assert "2023 –" in root.find("svg:desc", NS).text  # the gap is said, not drawn as zero
