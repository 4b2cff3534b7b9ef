"""Synthetic responses for the demo surveys (surveys/demo.py): one plausible respondent at a time,
answered question by question from the survey's own questions and options, so whatever the bank or
a coordinator put in the survey gets answers that fit its kind, and display conditions hold.

The patterns, not the numbers, are the point: a latent "feels unsafe late in the evening" drawn from
gender, age and category (log-odds) and calibrated per survey to a target share; daytime answers
follow it but much safer; problems, worries and wishes lean on that latent; map answers cluster
around the demo hotspots inside the project's area.
"""
from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass
from datetime import date

from shapely.geometry import Point, Polygon, shape

from trygga_platser.tenancy.models import Project, StakeholderCategory

from .indicator import (
    AGE_KEY,
    ATTRACTIVE_KEY,
    AVOIDS_KEY,
    CATEGORY_KEY,
    GENDER_KEY,
    IMPROVE_KEY,
    PLACES_MAP_KEY,
    PROBLEMS_KEY,
    SAFE_DAY_KEY,
    SAFE_EVENING_KEY,
    UNSAFE_CATEGORY,
    UNSAFE_MAP_KEY,
    VISIT_KEY,
    WORRY_KEY,
)
from .models import Answer, Option, Question, Response, Survey

# ------------------------------------------------------------------------------------------------
# Places in a project's area (analysis/demo.py uses them too, so the hotspots of the survey answers,
# the inspection points and the point audits are the same places)
# ------------------------------------------------------------------------------------------------
# name: (vertex a, vertex b, t along the edge a→b, f from the centre towards that edge point). The
# demo areas are convex pentagons (projects/demo.py), so every f < 1 lies inside.
PLACES = {
    "Torget": (0, 1, 0.0, 0.0),
    "Busshållplatsen": (1, 2, 0.2, 0.6),
    "Gångtunneln": (0, 1, 0.3, 0.7),
    "Parken vid ån": (3, 4, 0.4, 0.6),
    "Gågatan": (2, 3, 0.5, 0.45),
    "Parkeringshuset": (4, 0, 0.5, 0.65),
    "Gång- och cykelvägen mot stationen": (1, 2, 0.7, 0.8),
    "Baksidan av centrumhuset": (3, 4, 0.9, 0.35),
    "Lekplatsen": (2, 3, 0.1, 0.7),
    "Återvinningsstationen": (4, 0, 0.1, 0.8),
    "Biblioteksentrén": (0, 1, 0.8, 0.3),
    "Kiosken vid busstorget": (1, 2, 0.5, 0.5),
}
UNSAFE_HOTSPOTS = {"Busshållplatsen": 0.4, "Gångtunneln": 0.35, "Parken vid ån": 0.25}
SAFE_SPOTS = {"Torget": 0.6, "Gågatan": 0.4}
ATTRACTIVE_SPOTS = {"Torget": 0.5, "Gågatan": 0.3, "Parken vid ån": 0.2}


def area_shape(project: Project) -> Polygon | None:
    try:
        polygon = shape(project.area) if project.area else None
    except (ValueError, TypeError, AttributeError, KeyError):
        return None
    return polygon if polygon is not None and polygon.is_valid and not polygon.is_empty else None


def demo_places(project: Project) -> dict[str, tuple[float, float]]:
    """The demo's named places of a project as (lon, lat), inside its area."""
    polygon = area_shape(project)
    if polygon is None:
        return {}
    ring = list(polygon.exterior.coords)[:-1]
    centre = polygon.centroid
    places = {}
    for name, (a, b, t, f) in PLACES.items():
        ax, ay = ring[a % len(ring)]
        bx, by = ring[b % len(ring)]
        ex, ey = ax + t * (bx - ax), ay + t * (by - ay)
        lon, lat = centre.x + f * (ex - centre.x), centre.y + f * (ey - centre.y)
        if not polygon.contains(Point(lon, lat)):
            point = polygon.representative_point()
            lon, lat = point.x, point.y
        places[name] = (round(lon, 6), round(lat, 6))
    return places


def point_near(polygon: Polygon, centre: tuple[float, float], rng: random.Random,
               spread: float = 0.08) -> tuple[float, float]:
    """A point scattered around `centre` (a share `spread` of the area's size), inside the area."""
    minx, miny, maxx, maxy = polygon.bounds
    for _ in range(50):
        lon = rng.gauss(centre[0], (maxx - minx) * spread)
        lat = rng.gauss(centre[1], (maxy - miny) * spread)
        if polygon.contains(Point(lon, lat)):
            return round(lon, 6), round(lat, 6)
    return centre


def point_anywhere(polygon: Polygon, rng: random.Random) -> tuple[float, float]:
    minx, miny, maxx, maxy = polygon.bounds
    for _ in range(100):
        lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if polygon.contains(Point(lon, lat)):
            return round(lon, 6), round(lat, 6)
    point = polygon.representative_point()
    return round(point.x, 6), round(point.y, 6)



# ------------------------------------------------------------------------------------------------
# Who answers, and how
# ------------------------------------------------------------------------------------------------
# Respondent categories: mostly residents and visitors, some businesses (SPEC §4.3 values).
CATEGORY_WEIGHTS = {
    StakeholderCategory.RESIDENT: 46, StakeholderCategory.VISITOR: 30, StakeholderCategory.BUSINESS: 9,
    StakeholderCategory.PROPERTY_OWNER: 3, StakeholderCategory.MUNICIPAL_OFFICIAL: 3,
    StakeholderCategory.CIVIL_SOCIETY: 3, StakeholderCategory.CENTRE_ORGANISATION: 1,
    StakeholderCategory.POLITICIAN: 1, StakeholderCategory.POLICE: 1, StakeholderCategory.RESCUE_SERVICE: 1,
    StakeholderCategory.OTHER: 2,
}
MEMBER_WEIGHTS = {
    StakeholderCategory.MUNICIPAL_OFFICIAL: 5, StakeholderCategory.PROPERTY_OWNER: 3, StakeholderCategory.POLICE: 2,
    StakeholderCategory.BUSINESS: 2, StakeholderCategory.CIVIL_SOCIETY: 2, StakeholderCategory.CENTRE_ORGANISATION: 1,
    StakeholderCategory.RESCUE_SERVICE: 1, StakeholderCategory.POLITICIAN: 1,
}
AGE_WEIGHTS = {"under_16": 4, "16_24": 15, "25_44": 31, "45_64": 28, "65_79": 16, "80_plus": 3, "no_answer": 3}
AGE_RANK = {"under_16": 0.0, "16_24": 0.15, "25_44": 0.35, "45_64": 0.6, "65_79": 0.85, "80_plus": 1.0}
GENDER_WEIGHTS = {"woman": 51, "man": 44, "other": 1, "no_answer": 4}
# How much more or less unsafe a group feels in the evening (log-odds).
GENDER_EFFECT = {"woman": 0.55, "man": -0.6, "other": 0.3}
CATEGORY_EFFECT = {StakeholderCategory.POLICE: -1.2, StakeholderCategory.BUSINESS: -0.2,
                   StakeholderCategory.VISITOR: 0.15}

PROBLEM_RATES = {"poor_lighting": 0.46, "litter": 0.4, "groups": 0.37, "graffiti": 0.22, "disturbances": 0.2,
                 "vandalism": 0.17, "drug_dealing": 0.13, "traffic": 0.12}
PROBLEM_RATES_AFTER = {**PROBLEM_RATES, "poor_lighting": 0.2, "litter": 0.27, "graffiti": 0.13, "groups": 0.3}
WORRY_RATES = {"theft": 0.22, "robbery": 0.07, "assault": 0.12, "harassment": 0.17, "sexual_offence": 0.08,
               "vehicle": 0.12}
IMPROVE_WEIGHTS = {"lighting": 9, "people": 6, "guards": 4, "cleaning": 4, "vegetation": 4, "police": 4,
                   "activities": 3, "shops_open": 3, "cameras": 3, "traffic_safety": 1}
IMPROVE_WEIGHTS_AFTER = {**IMPROVE_WEIGHTS, "lighting": 4, "vegetation": 2, "cleaning": 3}
VISIT_RATES = {"live": 0.4, "work_school": 0.25, "shopping": 0.5, "services": 0.25, "food": 0.3, "leisure": 0.3,
               "passing": 0.3, "other": 0.05}
VISIT_FREQUENCY = {"daily": 40, "weekly": 35, "monthly": 15, "rarely": 10}

WHY = {
    "unsafe": ["Dålig belysning, man ser inte vem som kommer.", "Grupper som hänger här på kvällarna.",
               "Folktomt när butikerna har stängt.", "Mörk tunnel, man ser inte igenom den.",
               "Höga buskar skymmer sikten.", "Nedskräpat och klotter, känns övergivet.",
               "Har blivit tilltalad av berusade personer här.", "Ingen annan väg till bussen.",
               "Svårt att se om någon står och väntar."],
    "safe": ["Mycket folk i rörelse och bra belysning.", "Öppet och lätt att överblicka.",
             "Butiker och caféer som har öppet.", "Man ser och syns."],
    "attractive": ["Fint torg med blommor och bänkar.", "Trevligt café och uteservering.",
                   "Bra plats att träffa vänner.", "Vackert vid vattnet på sommaren.", "Marknaden på lördagar."],
    "traffic": ["Bilarna kör fort här.", "Svårt att se bilarna vid övergångsstället."],
}
ANYTHING_ELSE = ["Mer folk i rörelse på kvällarna skulle hjälpa.", "Bättre belysning vid busshållplatsen!",
                 "Tack för att ni frågar.", "Papperskorgarna är ofta fulla.",
                 "Det har blivit bättre sedan kiosken fick ha öppet längre.",
                 "Fler bänkar och mer grönska på torget."]
TIMES = {"unsafe": {"evening": 45, "night": 40, "day": 15}, "safe": {"day": 60, "evening": 35, "night": 5},
         "attractive": {"day": 75, "evening": 25}, "traffic": {"day": 60, "evening": 40}}


def _pick(rng: random.Random, weights: dict) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


NONE_VALUES = frozenset({"none"})  # "none of these": exclusive in a multiple choice


@dataclass
class Respondent:
    category: str
    age: str
    gender: str
    offset: float  # log-odds of feeling unsafe late in the evening, before the survey's intercept
    unsafe: bool = False  # feels unsafe late in the evening
    outside_base: str = ""  # "not_out_other" / "dk": left out of the indicator's base


def respondents(rng: random.Random, count: int, target: float, *, forced: list[str] = (),
                members: bool = False) -> list[Respondent]:
    """`count` respondents whose evening-unsafe share is about `target`; the first ones get the
    categories in `forced` (invitees whose anonymous answers must exist). `members`: the partnership's
    members answer (a partnership survey), not the public."""
    people = []
    weights = MEMBER_WEIGHTS if members else CATEGORY_WEIGHTS
    for index in range(count):
        category = forced[index] if index < len(forced) else _pick(rng, weights)
        age, gender = _pick(rng, AGE_WEIGHTS), _pick(rng, GENDER_WEIGHTS)
        # Older respondents feel less safe in the evening, the youngest a little less safe too.
        rank = AGE_RANK.get(age, 0.5)
        offset = (GENDER_EFFECT.get(gender, 0.0) + 1.6 * (rank - 0.5) + 0.4 * max(0.0, 0.2 - rank)
                  + CATEGORY_EFFECT.get(category, 0.0))
        people.append(Respondent(category, age, gender, offset))
    intercept = _calibrate([p.offset for p in people], target)
    for person in people:
        roll = rng.random()
        if roll < 0.04:
            person.outside_base = "not_out_other"
        elif roll < 0.065:
            person.outside_base = "dk"
        person.unsafe = rng.random() < _sigmoid(intercept + person.offset)
    return people


def _calibrate(offsets: list[float], target: float) -> float:
    """The intercept that makes the mean probability `target` (bisection; the mean is monotone)."""
    if not offsets or target <= 0:
        return -20.0
    low, high = -10.0, 10.0
    for _ in range(40):
        mid = (low + high) / 2
        mean = sum(_sigmoid(mid + o) for o in offsets) / len(offsets)
        low, high = (mid, high) if mean < target else (low, mid)
    return (low + high) / 2


class ResponseBuilder:
    """Answers one survey's questions for one respondent at a time (unsaved rows for bulk_create)."""

    def __init__(self, survey: Survey, polygon: Polygon, places: dict[str, tuple[float, float]],
                 rng: random.Random, *, after: bool = False):
        self.survey, self.polygon, self.places, self.rng, self.after = survey, polygon, places, rng, after
        self.questions = list(survey.questions.order_by("page", "position", "pk"))
        self.options: dict[int, dict[str, Option]] = {q.pk: {} for q in self.questions}
        for option in Option.objects.filter(question__survey=survey).order_by("position", "pk"):
            self.options[option.question_id][option.value] = option
        self.key_of = {q.pk: q.key for q in self.questions}

    def build(self, person: Respondent, day: date) -> tuple[Response, list[Answer]]:
        rng = self.rng
        response = Response(id=uuid.UUID(int=rng.getrandbits(128), version=4), survey=self.survey,
                            submitted_on=day, language="en" if rng.random() < 0.03 else "sv")
        chosen: dict[str, set[str]] = {}
        answers: list[Answer] = []
        for question in self.questions:
            if question.condition_question_id:
                shown_for = set(question.condition_values or [])
                if not chosen.get(self.key_of.get(question.condition_question_id), set()) & shown_for:
                    continue
            if question.kind == Question.Kind.MAP:
                answers += self._map(question, person, response)
                continue
            if question.kind == Question.Kind.TEXT:
                if question.required or rng.random() < 0.12:
                    answers.append(Answer(response=response, question=question, text=rng.choice(ANYTHING_ELSE)))
                continue
            if question.kind == Question.Kind.NUMBER:
                if question.required or rng.random() < 0.7:
                    low, high = question.config.get("min", 0), question.config.get("max", 10)
                    answers.append(Answer(response=response, question=question, number=rng.randint(int(low), int(high))))
                continue
            values = [v for v in self._choose(question, person) if v in self.options[question.pk]]
            chosen[question.key] = set(values)
            answers += [Answer(response=response, question=question, option=self.options[question.pk][v])
                        for v in values]
            if question.key == CATEGORY_KEY and values:
                response.respondent_category = values[0]
        return response, answers

    # ---- choice questions --------------------------------------------------------------------------
    def _choose(self, question: Question, person: Respondent) -> list[str]:
        rng, key = self.rng, question.key
        if key == CATEGORY_KEY:
            return [person.category]
        if key == AGE_KEY:
            return [person.age]
        if key == GENDER_KEY:
            return [person.gender]
        if key == SAFE_EVENING_KEY:
            if person.outside_base:
                return [person.outside_base]
            if person.unsafe:
                return [_pick(rng, {"rather_unsafe": 60, "very_unsafe": 30, "not_out_unsafe": 10})]
            return [_pick(rng, {"very_safe": 33, "rather_safe": 67})]
        if key == SAFE_DAY_KEY:
            if rng.random() < 0.015:
                return ["dk"]
            if person.unsafe and rng.random() < 0.22:
                return [_pick(rng, {"rather_unsafe": 80, "very_unsafe": 20})]
            return [_pick(rng, {"very_safe": 45, "rather_safe": 55} if person.unsafe else
                            {"very_safe": 68, "rather_safe": 32})]
        if key == AVOIDS_KEY:
            return [_pick(rng, {"yes_often": 33, "yes_sometimes": 42, "no": 25} if person.unsafe else
                            {"yes_often": 3, "yes_sometimes": 14, "no": 83})]
        if key == PROBLEMS_KEY:
            rates = PROBLEM_RATES_AFTER if self.after else PROBLEM_RATES
            return self._multiple(question, rates, scale=1.5 if person.unsafe else 0.75)
        if key == WORRY_KEY:
            rates = dict(WORRY_RATES)
            if person.gender == "woman":
                rates.update(harassment=0.3, sexual_offence=0.2)
            return self._multiple(question, rates, scale=1.6 if person.unsafe else 0.6)
        if key == IMPROVE_KEY:
            return self._top(question, IMPROVE_WEIGHTS_AFTER if self.after else IMPROVE_WEIGHTS)
        if key == VISIT_KEY:
            rates = dict(VISIT_RATES)
            rates["live"] = 0.9 if person.category == "boende" else 0.05
            return self._multiple(question, rates, at_least_one=True)
        if key == ATTRACTIVE_KEY:
            if rng.random() < 0.04:
                return ["dk"]
            mean = 2.6 if person.unsafe else 3.4
            return [str(min(5, max(1, round(rng.gauss(mean + (0.3 if self.after else 0), 0.9)))))]
        if key == "visit_frequency":
            return [_pick(rng, VISIT_FREQUENCY)]
        if question.kind == Question.Kind.SCALE:  # agreement or a grade: mostly on the positive side
            if rng.random() < 0.05:
                return ["dk"]
            return [str(min(5, max(1, round(rng.gauss(3.6 if self.after else 3.3, 1.0)))))]
        return self._generic(question)

    def _multiple(self, question: Question, rates: dict[str, float], *, scale: float = 1.0,
                  at_least_one: bool = False) -> list[str]:
        rng = self.rng
        values = [v for v in self.options[question.pk] if v not in NONE_VALUES]
        picked = [v for v in values if rng.random() < min(0.9, rates.get(v, 0.05) * scale)]
        if not picked and at_least_one and values:
            picked = [rng.choice(values)]
        if not picked and NONE_VALUES & set(self.options[question.pk]) and rng.random() < 0.6:
            picked = list(NONE_VALUES & set(self.options[question.pk]))
        limit = (question.config or {}).get("max_choices")
        return picked[:limit] if limit else picked

    def _top(self, question: Question, weights: dict[str, float]) -> list[str]:
        """At most `max_choices` (three in the bank) distinct choices, weighted."""
        rng = self.rng
        limit = int((question.config or {}).get("max_choices") or 3)
        pool = {v: weights.get(v, 1) for v in self.options[question.pk] if v not in NONE_VALUES}
        count = min(limit, len(pool), _pick(rng, {1: 12, 2: 23, 3: 65}))
        picked: list[str] = []
        while len(picked) < count:
            value = _pick(rng, {v: w for v, w in pool.items() if v not in picked})
            picked.append(value)
        return picked

    def _generic(self, question: Question) -> list[str]:
        """A question the demo does not know (added by a coordinator): a plausible spread."""
        rng = self.rng
        values = [v for v, o in self.options[question.pk].items() if not o.is_missing]
        if not values or (not question.required and rng.random() < 0.08):
            return []
        if question.kind == Question.Kind.MULTIPLE:
            return self._multiple(question, {v: 0.3 for v in values}, at_least_one=True)
        return [rng.choices(values, weights=[len(values) - i + 1 for i in range(len(values))])[0]]

    # ---- map questions -----------------------------------------------------------------------------
    def _map(self, question: Question, person: Respondent, response: Response) -> list[Answer]:
        rng = self.rng
        categories = [c.get("value") for c in (question.config or {}).get("categories", [])] or [UNSAFE_CATEGORY]
        if question.key == PLACES_MAP_KEY:
            count = _pick(rng, {1: 40, 2: 35, 3: 17, 4: 8})
            wanted = [_pick(rng, {"unsafe": 60 if person.unsafe else 35, "safe": 25, "attractive": 35})
                      for _ in range(count)]
        elif question.key == UNSAFE_MAP_KEY:
            chance = (0.6 if person.unsafe else 0.12) * (0.75 if self.after else 1)
            count = 0 if rng.random() > chance else _pick(rng, {1: 75, 2: 25})
            wanted = ["traffic" if rng.random() < 0.08 else "unsafe" for _ in range(count)]
        else:  # the avoided places, or a map question a coordinator added
            count = _pick(rng, {0: 25, 1: 60, 2: 15})
            wanted = [categories[0]] * count
        limit = int((question.config or {}).get("max_features") or 5)
        return [self._feature(question, response, c if c in categories else categories[0])
                for c in wanted[:limit]]

    def _feature(self, question: Question, response: Response, category: str) -> Answer:
        rng, polygon = self.rng, self.polygon
        spots = {"safe": SAFE_SPOTS, "attractive": ATTRACTIVE_SPOTS}.get(category, UNSAFE_HOTSPOTS)
        if category == "traffic":
            spots = {"Busshållplatsen": 0.5, "Kiosken vid busstorget": 0.5}
        named = [name for name in spots if name in self.places]
        if named and rng.random() > 0.12:
            centre = self.places[_pick(rng, {name: spots[name] for name in named})]
            lon, lat = point_near(polygon, centre, rng)
        else:
            lon, lat = point_anywhere(polygon, rng)
        config = question.config or {}
        allowed = config.get("geometries") or ["point"]
        kind = _pick(rng, {k: w for k, w in {"point": 85, "line": 10, "area": 5}.items() if k in allowed}
                       or {"point": 1})
        geometry = {"type": "Point", "coordinates": [lon, lat]}
        minx, miny, maxx, maxy = polygon.bounds
        dx, dy = (maxx - minx) * 0.05, (maxy - miny) * 0.05
        if kind == "line":
            angle = rng.uniform(0, math.pi)
            coords = [[round(lon + k * dx * math.cos(angle), 6), round(lat + k * dy * math.sin(angle), 6)]
                      for k in (-1, 0, 1)]
            if all(polygon.contains(Point(c)) for c in coords):
                geometry = {"type": "LineString", "coordinates": coords}
        elif kind == "area":
            ring = [[round(lon + sx * dx * 0.6, 6), round(lat + sy * dy * 0.6, 6)]
                    for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1))]
            if all(polygon.contains(Point(c)) for c in ring):
                geometry = {"type": "Polygon", "coordinates": [ring]}
        when = _pick(rng, TIMES.get(category, TIMES["unsafe"])) if config.get("ask_time", True) else ""
        why = rng.choice(WHY.get(category, WHY["unsafe"])) if rng.random() < 0.85 else ""
        return Answer(response=response, question=question, geometry=geometry, map_category=category,
                      time_of_day=when, text=why, lon=lon, lat=lat)
