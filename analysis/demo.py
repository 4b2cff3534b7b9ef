"""Demo current-state analysis (SPEC §13, issue #5): safety inspections, point audits, five years of
crime statistics and the coordinator's written analysis for the pilot projects.

Avesta (step 4) has the fullest set: an inspection in daylight and one in darkness over the same ten
places, with lower lighting and natural-surveillance scores in the dark, findings on the worst
points (two already answered by actions in the action plan, the rest open), synthetic photos, point
audits by the project's members, and a written summary that quotes the survey and inspection figures.
Falun, Hallstahammar and Sala get lighter versions; Sala (finished) also has a follow-up inspection
that shows the improvement. Ludvika (step 1) has none of it yet.

Everything is fictional, drawn from seeded `random.Random`s. The places are the survey demo's
(surveys/demo_responses.py), so survey hotspots, inspection points and audits agree. Built once per
project: a project that already has inspections is left alone, so running seed_demo again changes
nothing.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from actionplans.models import Action, ActionFinding
from actionplans.services.actions import action_create
from projects.models import Goal, WorkArea
from surveys.demo_responses import area_shape, demo_places, point_near
from trygga_platser.tenancy.demo import DemoContext, register_seeder
from trygga_platser.tenancy.models import Project, ProjectMembership

from .models import (
    CrimeStatistic,
    CurrentStateAnalysis,
    FactorScore,
    Inspection,
    InspectionPoint,
    PointAudit,
)
from .models import TimeOfDay as T
from .selectors.inspections import aspects_for

SEEDER_ORDER = 140  # after the surveys (130): the written analysis quotes their figures


@dataclass(frozen=True)
class Walk:
    title: str
    step: int  # the project step whose dates it follows
    after_days: int  # days after the step's planned start
    time_of_day: str
    places: int
    purpose: str = Inspection.Purpose.BASELINE
    photos: int = 0


B, FU = Inspection.Purpose.BASELINE, Inspection.Purpose.FOLLOWUP
WALKS = {
    "avesta": [Walk("Trygghetsbesiktning i dagsljus", 2, 10, T.DAYLIGHT, 10, photos=1),
               Walk("Trygghetsbesiktning i mörker", 2, 11, T.DARK, 10, photos=2)],
    "falun": [Walk("Trygghetsbesiktning i skymning", 2, 12, T.DUSK, 8)],
    "hallstahammar": [Walk("Trygghetsbesiktning i mörker", 2, 9, T.DARK, 8, photos=1)],
    "sala": [Walk("Trygghetsbesiktning i mörker", 2, 13, T.DARK, 9),
             Walk("Uppföljande trygghetsbesiktning i mörker", 5, 14, T.DARK, 9, purpose=FU, photos=1)],
}
AUDITS = {"avesta": 27, "falun": 18, "hallstahammar": 15, "sala": 20}
INSPECTORS = {
    "avesta": "Anna Lindqvist (kommunen), Per Holm (polisen), Karin Sjöberg (Torgfastigheter, fiktiv), "
              "Helena Roos (processtöd)",
    "falun": "Erik Dahlberg (kommunen), kommunpolisen och Centrumföreningen (fiktiva)",
    "hallstahammar": "Sara Nyström (kommunen), Bostadsbolaget och räddningstjänsten (fiktiva)",
    "sala": "Johan Berglund (kommunen), Helena Roos (processtöd), kommunpolisen (fiktiv)",
}

# How good each place is (0–20 on the inspection scale, daylight) and its weak aspects.
QUALITY = {
    "Torget": (15, {"information": -3}), "Gågatan": (14, {"mix-av-funktioner": -2}),
    "Biblioteksentrén": (14, {}), "Lekplatsen": (12, {"forvaltning": -2}),
    "Kiosken vid busstorget": (11, {"mix-av-manniskor": -3}),
    "Busshållplatsen": (9, {"forvaltning": -3, "mix-av-manniskor": -2, "belysning": -2}),
    "Parken vid ån": (10, {"gestaltning": -4, "social-kontroll": -3, "belysning": -2}),
    "Parkeringshuset": (9, {"belysning": -2, "tydlighet": -2, "skalskydd": -2}),
    "Gång- och cykelvägen mot stationen": (10, {"belysning": -3, "gestaltning": -2}),
    "Baksidan av centrumhuset": (7, {"forvaltning": -4, "social-kontroll": -3}),
    "Återvinningsstationen": (8, {"forvaltning": -4}),
    "Gångtunneln": (6, {"belysning": -3, "tydlighet": -2, "social-kontroll": -3}),
}
LIFT = 1.5  # the places' quality on the scale, so that daylight scores are mostly yellow or green
# In the dark, lighting and natural surveillance suffer most (and fewer people are around).
DARK = {"belysning": -5, "social-kontroll": -4, "mix-av-manniskor": -3, "mix-av-funktioner": -3, "tydlighet": -2,
        "gestaltning": -1}
# What the actions changed, seen at Sala's follow-up.
IMPROVED = {"belysning": 6, "forvaltning": 3, "social-kontroll": 3, "gestaltning": 3, "mix-av-funktioner": 3,
            "mix-av-manniskor": 3}

# The route, in the order places are added to an inspection (the worst ones are always on it).
ROUTE = ["Gångtunneln", "Busshållplatsen", "Torget", "Parken vid ån", "Parkeringshuset", "Baksidan av centrumhuset",
         "Gågatan", "Gång- och cykelvägen mot stationen", "Återvinningsstationen", "Lekplatsen",
         "Kiosken vid busstorget", "Biblioteksentrén"]
# place: (note, finding, seen when: "dark" needs darkness, "day" is seen in any light)
NOTES = {
    "Gångtunneln": ("Två av fyra armaturer släckta, klotter på väggarna, man ser inte igenom tunneln.",
                    "Byt de trasiga armaturerna, sätt ljusare belysning i hela tunneln och sanera klotter.", "dark"),
    "Baksidan av centrumhuset": ("Lastkaj utan belysning, skräp och en olåst dörr till soprummet.",
                                 "Belys lastkajen, städa och se till att soprummet hålls låst.", "dark"),
    "Återvinningsstationen": ("Överfulla containrar och skräp runt omkring.",
                              "Tätare tömning och städning vid containrarna.", "day"),
    "Parken vid ån": ("Höga buskar längs gångvägen skymmer sikten; få lampor.",
                      "Beskär buskarna längs gångvägen och komplettera belysningen.", "dark"),
    "Busshållplatsen": ("Trasig glasruta i väntkuren, cyklar i gångvägen.",
                        "Laga väntkuren och flytta cykelstället från gångvägen.", "day"),
    "Parkeringshuset": ("Bländande armaturer vid entrén, mörkt trapphus.",
                        "Byt till avbländade armaturer vid entrén och ljusare belysning i trapphuset.", "dark"),
    "Gång- och cykelvägen mot stationen": ("Sly och mörka partier mellan stolparna.",
                                           "Röj sly och komplettera med belysningsstolpar.", "dark"),
}
FOLLOWUP_NOTE = "Ny belysning och rensade buskar sedan hösten; fortfarande få människor i rörelse sent på kvällen."
# Findings that became actions (titles from actionplans/demo.py): Avesta's first two only, the rest
# open; at Sala (finished) every baseline finding with a matching action.
ANSWERED = {"Gångtunneln": "Byt trasiga armaturer i gångtunneln",
            "Parkeringshuset": "Avbländad belysning vid parkeringshusets entré",
            "Gång- och cykelvägen mot stationen": "Belysning på gångstråket mot stationen",
            "Parken vid ån": "Buskröjning längs gång- och cykelvägen",
            "Busshållplatsen": "Nytt cykelställ vid busshållplatsen",
            "Baksidan av centrumhuset": "Samverkansavtal med fastighetsägarna",
            "Återvinningsstationen": "Tömning av papperskorgar även på söndagar"}
ANSWERED_COUNT = {"avesta": 2, "sala": len(ANSWERED)}

CRIME = {  # category: (reported crimes in the area in 2021 at scale 1, yearly trend)
    "Misshandel": (26, 0.0), "Skadegörelse": (55, 0.02), "Stöld och snatteri": (118, -0.04),
    "Narkotikabrott": (24, 0.1), "Rån": (5, -0.05), "Klotter": (38, 0.03),
}
CRIME_SCALE = {"avesta": 1.0, "falun": 1.1, "hallstahammar": 0.8, "sala": 0.9}
CRIME_YEARS = range(2021, 2026)
AUDIT_NOTES = ["Mörkt mellan lamporna.", "Mycket folk i rörelse.", "Skymd sikt av buskar.", "Känns öde efter kl. 19.",
               "Bra belysning och öppet.", "Klotter och skräp.", "Ingen att be om hjälp.", ""]


def _photo(seed: str, caption: str, dark: bool) -> ContentFile:
    """A plainly synthetic picture, so nobody mistakes it for a real place or person."""
    rng = random.Random(seed)
    tone = (25, 30, 50) if dark else (120, 140, 160)
    image = Image.new("RGB", (800, 600), tone)
    draw = ImageDraw.Draw(image)
    for _ in range(7):
        x, y = rng.randint(0, 700), rng.randint(150, 550)
        shade = rng.randint(30, 90) if dark else rng.randint(60, 220)
        draw.rectangle([x, y, x + rng.randint(60, 200), y + rng.randint(40, 120)], fill=(shade, shade, shade + 20))
    draw.rectangle([0, 0, 800, 70], fill=(20, 20, 20))
    draw.text((20, 25), f"DEMOBILD – {caption[:60]}", fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name="demo-inspection.jpg")


def _score(rng: random.Random, base: float) -> int:
    return max(0, min(20, round(rng.gauss(base, 1.6))))


def _inspection(project: Project, slug: str, walk: Walk, places: dict, aspects: list, rng: random.Random,
                coordinator) -> Inspection:
    step = project.steps.get(number=walk.step)
    inspection = Inspection.objects.create(
        project=project, title=walk.title, date=min(step.planned_start + timedelta(days=walk.after_days),
                                                    timezone.localdate()),
        time_of_day=walk.time_of_day, purpose=walk.purpose, inspectors=INSPECTORS[slug], created_by=coordinator,
        notes="Rundvandring med start och mål vid torget, samma rutt som platsvandringen.")
    darkness = {T.DARK: 1.0, T.DUSK: 0.5}.get(walk.time_of_day, 0.0)
    names = ROUTE[: walk.places]
    # A finding is written once: a place already found wanting by an earlier inspection is not repeated.
    found = set(InspectionPoint.objects.filter(inspection__project=project).exclude(finding="")
                .values_list("name", flat=True))
    points, scores = [], []
    for number, name in enumerate(sorted(names, key=lambda n: places[n][0]), start=1):
        quality, weak = QUALITY[name]
        point = InspectionPoint(inspection=inspection, number=number, name=name,
                                lon=places[name][0], lat=places[name][1])
        point_scores = []
        for aspect in aspects:
            base = quality + LIFT + weak.get(aspect.key, 0) + darkness * DARK.get(aspect.key, 0)
            if walk.purpose == FU:
                base += IMPROVED.get(aspect.key, 2)
            point_scores += [(factor, _score(rng, base)) for factor in aspect.factor_list]
        mean = sum(s for _f, s in point_scores) / max(1, len(point_scores))
        note, finding, seen = NOTES.get(name, ("", "", ""))
        visible = bool(note) and (seen == "day" or darkness > 0)
        if walk.purpose == FU:
            point.note = FOLLOWUP_NOTE if visible else ""
        else:  # findings on the worst points that this light shows
            point.note = note if visible and mean < 11 + LIFT else ""
            point.finding = finding if visible and mean < 10 + LIFT and name not in found else ""
        point.save()
        points.append((point, mean))
        scores += [FactorScore(point=point, factor=factor, score=score) for factor, score in point_scores]
    FactorScore.objects.bulk_create(scores)
    for index, (point, _mean) in enumerate(sorted(points, key=lambda p: p[1])[: walk.photos]):
        point.photo.save(f"demo-{inspection.pk}-{index}.jpg",
                         _photo(f"{slug}-{walk.title}-{index}", point.name, darkness > 0), save=True)
    return inspection


def _answer_findings(project: Project, inspection: Inspection, coordinator, count: int) -> None:
    """`count` of the inspection's findings became actions (ActionFinding kind inspection_point): an
    action of the plan with the matching title, or at Avesta a new planned one."""
    for name, title in list(ANSWERED.items())[:count]:
        point = inspection.points.filter(name=name).exclude(finding="").first()
        if point is None:
            continue
        action = Action.objects.filter(project=project, title=title).order_by("number").first()
        if action is None and project.status == Project.Status.COMPLETED:
            continue
        if action is None:
            action = action_create(user=coordinator, project=project, title=title, description=point.finding,
                                   category=WorkArea.SAFETY, lon=point.lon, lat=point.lat, impact=3, effort=1,
                                   responsible_organisation="Samhällsbyggnadsförvaltningen, gata/park",
                                   status=Action.Status.PLANNED)
        ActionFinding.objects.get_or_create(action=action, kind=ActionFinding.Kind.INSPECTION_POINT,
                                            ref=str(point.pk), defaults={"label": point.finding[:300]})


def _audits(project: Project, slug: str, places: dict, rng: random.Random) -> None:
    polygon = area_shape(project)
    authors = [m.user for m in ProjectMembership.objects.filter(project=project).select_related("user")
               .order_by("pk")]
    step2, step3 = project.steps.get(number=2), project.steps.get(number=3)
    first, last = step2.planned_start, min(step3.planned_end, timezone.localdate())
    rows = []
    for index in range(AUDITS[slug]):
        name = rng.choice(list(QUALITY))
        quality, weak = QUALITY[name]
        time_of_day = rng.choices([T.DAYLIGHT, T.DUSK, T.DARK], weights=[5, 2, 3])[0]
        dark = {T.DARK: 1.0, T.DUSK: 0.5}.get(time_of_day, 0.0)
        base = 0.6 + quality / 20 * 2.6

        def level(minus: float = 0.0, base: float = base) -> int:
            return max(0, min(3, round(rng.gauss(base - minus, 0.55))))

        values = {"lighting": level(1.4 * dark + (0.6 if "belysning" in weak else 0)), "openness": level(),
                  "visibility": level(0.6 * dark), "people": level(1.2 * dark), "security": level(0.8 * dark),
                  "walk_path": level(-0.3), "public_transport": level(-0.5 if "buss" in name.lower() else 0.4),
                  "gender_usage": level(0.8 * dark)}
        lighting_people = (values["lighting"] + values["people"] + values["visibility"]) / 3
        lon, lat = point_near(polygon, places[name], rng, spread=0.03)
        rows.append(PointAudit(
            project=project, author=authors[index % len(authors)] if authors else None,
            date=first + timedelta(days=rng.randint(0, max(0, (last - first).days))), time_of_day=time_of_day,
            lon=lon, lat=lat, feeling=max(0, min(3, round(rng.gauss(lighting_people, 0.5)))),
            note=rng.choice(AUDIT_NOTES), **values))
    PointAudit.objects.bulk_create(rows)


def _crime(project: Project, slug: str, rng: random.Random) -> None:
    """Five years of police-reported crimes (2021–2025) with plausible small-town counts and trends.
    Vandalism matches the project's goal: its baseline in the year before the start, and at Sala
    (finished) its outcome the year after."""
    goal = Goal.objects.filter(project=project, indicator__icontains="skadegörelse").order_by("pk").first()
    rows = []
    for category, (base, trend) in CRIME.items():
        for year in CRIME_YEARS:
            count = base * CRIME_SCALE[slug] * (1 + trend) ** (year - 2021) * rng.uniform(0.85, 1.15)
            if category == "Skadegörelse" and goal is not None:
                if year == project.start_date.year - 1 and goal.baseline_value is not None:
                    count = float(goal.baseline_value)
                elif year == project.start_date.year and goal.outcome_value is not None:
                    count = float(goal.outcome_value)
            rows.append(CrimeStatistic(project=project, year=year, category=category, count=max(0, round(count))))
    CrimeStatistic.objects.bulk_create(rows)


# ------------------------------------------------------------------------------------------------
# The written analysis: quotes the demo's own figures, so the text and the charts agree
# ------------------------------------------------------------------------------------------------
def _pct(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)} %"


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",")


def _and(items: list[str]) -> str:
    return " och ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


def _evening_share(survey, gender: str) -> float | None:
    """The safety indicator among women or men (the demo's story needs it; not a shared selector)."""
    from surveys.indicator import (
        GENDER_KEY,
        OUTSIDE_BASE_VALUES,
        SAFE_EVENING_KEY,
        UNSAFE_VALUES,
    )
    from surveys.models import Answer

    group = Answer.objects.filter(question__survey=survey, question__key=GENDER_KEY, option__value=gender)
    values = list(Answer.objects.filter(question__survey=survey, question__key=SAFE_EVENING_KEY,
                                        response__in=group.values("response")).values_list("option__value", flat=True))
    base = [v for v in values if v not in OUTSIDE_BASE_VALUES]
    return sum(v in UNSAFE_VALUES for v in base) / len(base) if len(base) >= 5 else None


def _hotspots(project: Project, places: dict) -> list[str]:
    """The three places most unsafe map answers lie nearest to."""
    from surveys.indicator import UNSAFE_CATEGORY
    from surveys.models import Answer

    counts: dict[str, int] = {}
    for lon, lat in Answer.objects.filter(question__survey__project=project, map_category=UNSAFE_CATEGORY,
                                          lon__isnull=False).values_list("lon", "lat"):
        name = min(places, key=lambda n: (places[n][0] - lon) ** 2 + ((places[n][1] - lat) * 2) ** 2)
        counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda n: -counts[n])[:3]


def _texts(project: Project, slug: str) -> tuple[str, str] | None:
    from surveys.models import Survey
    from surveys.selectors.results import survey_indicator, survey_top_problems

    from .selectors.crime import crime_trend
    from .selectors.inspections import aspect_scores

    safety = project.surveys.filter(kind=Survey.Kind.SAFETY).order_by("pk").first()
    if safety is None:
        return None
    indicator = survey_indicator(survey=safety)
    problems = [p.label.lower() for p in survey_top_problems(survey=safety, limit=3)]
    aspects = sorted((a for a in aspect_scores(project=project) if a.mean is not None), key=lambda a: a.mean)
    weakest = " och ".join(f"{a.name.lower()} ({_num(a.mean)})" for a in aspects[:2])
    hotspots = _hotspots(project, demo_places(project))
    summary = (f"I trygghetsenkäten ({indicator.n} svar i underlaget) känner sig {_pct(indicator.share)} otrygga "
               f"när de går ut ensamma sent på kvällen här, kvinnor ({_pct(_evening_share(safety, 'woman'))}) "
               f"betydligt oftare än män ({_pct(_evening_share(safety, 'man'))}). Vanligaste problemen: "
               f"{', '.join(problems)}. Otrygga platser i kartläggningen samlas vid "
               f"{_and([h.lower() for h in hotspots])}.")
    if aspects:
        summary += f" Trygghetsbesiktningen ger lägst poäng för {weakest} av 20."
    if slug == "hallstahammar":
        return "Utkast: " + summary, ""
    trend = crime_trend(project=project)
    if slug == "avesta":
        dark = min(project.inspections.all(), key=lambda i: i.time_of_day != T.DARK)
        day = min(project.inspections.all(), key=lambda i: i.time_of_day != T.DAYLIGHT)
        light = {i.pk: FactorScore.objects.filter(point__inspection=i, factor__aspect__key="belysning")
                 for i in (dark, day)}
        means = {pk: (sum(q.values_list("score", flat=True)) / q.count()) if q.exists() else None
                 for pk, q in light.items()}
        summary += (f" Belysningen får {_num(means[day.pk])} i dagsljus men {_num(means[dark.pk])} i mörker; "
                    f"{project.point_audits.count()} punktgranskningar bekräftar bilden.")
        if trend.years:
            series = dict(trend.series)
            summary += (f" Anmälda brott i området {trend.years[0]}–{trend.years[-1]}: skadegörelse "
                        f"{series['Skadegörelse'][0]}→{series['Skadegörelse'][-1]}, narkotikabrott "
                        f"{series['Narkotikabrott'][0]}→{series['Narkotikabrott'][-1]}.")
        conclusions = ("1. Belysningen är den viktigaste åtgärden: i gångtunneln, vid busshållplatsen och längs "
                       "gångvägen mot stationen.\n"
                       "2. Fler människor i rörelse på kvällen – kvällsöppet, aktiviteter och trygghetsvärdar på "
                       "torget – svarar mot både enkätens önskemål och den låga sociala kontrollen i mörker.\n"
                       "3. Förvaltningen av baksidan av centrumhuset och återvinningsstationen behöver ett "
                       "gemensamt avtal med fastighetsägarna.\n"
                       "4. Kvinnors och äldres otrygghet på kvällen följs upp särskilt i den uppföljande enkäten.")
        return summary, conclusions
    conclusions = "Prioritera belysning och fler människor i rörelse på kvällen; följ upp med en ny enkät."
    followup = project.surveys.filter(kind=Survey.Kind.FOLLOWUP).order_by("pk").first()
    after = survey_indicator(survey=followup) if followup else None
    if after is not None and after.share is not None and indicator.share is not None:
        conclusions += (f"\nUppföljning: andelen otrygga sent på kvällen har gått från {_pct(indicator.share)} till "
                        f"{_pct(after.share)}.")
    return summary, conclusions


def _seed_project(project: Project, slug: str, context: DemoContext) -> None:
    rng = random.Random(f"analysis-{slug}")
    coordinator = context.users[f"samordnare@{slug}.example"]
    places = demo_places(project)
    if not places:
        return
    aspects = aspects_for(organisation=project.municipality)
    for walk in WALKS[slug]:
        inspection = _inspection(project, slug, walk, places, aspects, rng, coordinator)
        if walk.purpose == B and walk.time_of_day == T.DARK and slug in ANSWERED_COUNT:
            _answer_findings(project, inspection, coordinator, ANSWERED_COUNT[slug])
    if not project.point_audits.exists():
        _audits(project, slug, places, rng)
    if not project.crime_statistics.exists():
        _crime(project, slug, rng)
    texts = _texts(project, slug)
    if texts is not None:
        CurrentStateAnalysis.objects.get_or_create(project=project, defaults={
            "summary": texts[0], "conclusions": texts[1], "updated_by": coordinator})


def seed_analysis(context: DemoContext) -> None:
    for slug in WALKS:
        project = Project.objects.filter(municipality=context.orgs[slug]).order_by("pk").first()
        if project is None or project.inspections.exists():
            continue
        _seed_project(project, slug, context)


def register() -> None:
    register_seeder(SEEDER_ORDER, "analysis", seed_analysis)
