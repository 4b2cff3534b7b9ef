"""Prepares the bench database (run by the benchmark in a subprocess with the bench settings):
a published one-page survey of the usual question types, the bare view's table, and one probe
submit through the Django test client that counts the queries of a public submit.

Prints one JSON line: {"token": ..., "queries": ..., "fields": {...}}."""
from __future__ import annotations

import json
import os
import re
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.bench_settings")
django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from surveys.models import Option, Question, Survey
from trygga_platser.tenancy.models import Organisation, Project

from .bench_urls import BARE_TABLE


def seed() -> dict:
    municipality = Organisation.objects.create(kind=Organisation.Kind.MUNICIPALITY, name="Benchby kommun",
                                               slug="benchby", municipality_code="9999")
    project = Project.objects.create(name="Torget", place_name="Torget", municipality=municipality,
                                     start_date=timezone.localdate())
    today = timezone.localdate()
    survey = Survey.objects.create(project=project, kind=Survey.Kind.SAFETY, title="Trygghetsenkät",
                                   published_at=timezone.now(), opens_on=today - timedelta(days=1),
                                   closes_on=today + timedelta(days=30))

    def question(key, kind, options=(), **kwargs):
        q = Question.objects.create(survey=survey, key=key, kind=kind, text=key, page=1, **kwargs)
        Option.objects.bulk_create([Option(question=q, value=v, label=v, position=i) for i, v in enumerate(options)])
        return q

    question("safe_evening", Question.Kind.SINGLE, ("very_safe", "rather_safe", "rather_unsafe", "very_unsafe"),
             required=True)
    question("problems", Question.Kind.MULTIPLE, ("litter", "graffiti", "lighting", "traffic"),
             config={"max_choices": 3})
    question("attractiveness", Question.Kind.SCALE, ("1", "2", "3", "4", "5", "dk"))
    question("age_years", Question.Kind.NUMBER, config={"min": 0, "max": 120})
    question("respondent_category", Question.Kind.CATEGORY, ("resident", "business_owner"))
    question("improve", Question.Kind.TEXT)
    question("unsafe_places", Question.Kind.MAP, config={
        "geometries": ["point"], "categories": [{"value": "unsafe", "label": "Otrygg"}], "max_features": 3})
    survey.save()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {BARE_TABLE} (id bigserial PRIMARY KEY, day date, value text)")

    fields = {}
    for q in survey.questions.all():
        name = f"q{q.pk}"
        fields.update({
            "safe_evening": {name: "rather_unsafe"},
            "problems": {name: ["litter", "lighting"]},
            "attractiveness": {name: "4"},
            "age_years": {name: "37"},
            "respondent_category": {name: "resident"},
            "improve": {name: "Bättre belysning vid busshållplatsen"},
            "unsafe_places": {f"{name}-1-coords": "60.1488, 16.1687", f"{name}-1-category": "unsafe",
                              f"{name}-1-why": "Mörkt", f"{name}-1-time": "evening"},
        }[q.key])

    # One probe submit through the whole view, counting its queries (the snapshot is cached by the GET).
    client = Client()
    page = client.get(f"/e/{survey.public_token}/")
    state = re.search(r'name="state" value="([^"]+)"', page.content.decode()).group(1)
    with CaptureQueriesContext(connection) as queries:
        done = client.post(f"/e/{survey.public_token}/", {"state": state, "action": "submit", **fields})
    assert done.status_code == 303, done.status_code
    return {"token": survey.public_token, "queries": len(queries), "sql": [q["sql"][:80] for q in queries],
            "fields": fields}


if __name__ == "__main__":
    print(json.dumps(seed()))
