"""Demo surveys (SPEC §13, issue #4): for every pilot a mapping survey (step 1) and a safety survey
(step 2) built from the question bank, with a few hundred synthetic responses each; Sala (finished)
also has a follow-up showing a clear improvement; Avesta's safety survey also went out as personal
invitations to property owners, the police and businesses, and Avesta (the full model) asked its
partnership members at the start; Ludvika (outside the programme, step 1) has an open mapping
survey with a few answers.

Everything is fictional, drawn from seeded `random.Random`s (surveys/demo_responses.py says how), so
two runs give the same answers. Responses are written with one executemany per table (thousands of
rows; the demo must stay fast) and are never linked to an invitation (SPEC §5.4). No e-mail is
queued: invitations are written as already sent, and the survey they belong to is closed, so the
reminder run (only open surveys) leaves them alone. Built once per project: a project that already
has surveys is left alone, so running seed_demo again changes nothing.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from trygga_platser.audit.models import AuditEntry
from trygga_platser.tenancy.demo import DemoContext, register_seeder
from trygga_platser.tenancy.models import Project, StakeholderCategory

from .demo_responses import ResponseBuilder, area_shape, demo_places, respondents
from .models import Answer, Invitation, Response, Survey
from .services.builder import survey_create

SEEDER_ORDER = 130  # after the projects (100), their workflow (110) and the action plans (120)


@dataclass(frozen=True)
class Plan:
    kind: str
    step: int  # the project step whose dates the survey follows
    responses: int
    evening_unsafe: float = 0.0  # the target share of the safety indicator
    open_after: int = 5  # days after the step's planned start
    days_open: int = 35
    after: bool = False  # a follow-up after the actions: fewer complaints about lighting and litter
    members: bool = False  # answered by the partnership's members (a partnership survey)


M, S, F, P = Survey.Kind.MAPPING, Survey.Kind.SAFETY, Survey.Kind.FOLLOWUP, Survey.Kind.PARTNERSHIP
PLANS = {
    # Avesta (the full model) also asks its partnership at the start (SPEC §5, step 1).
    "avesta": [Plan(P, 1, 17, open_after=2, days_open=14, members=True), Plan(M, 1, 265), Plan(S, 2, 384, 0.38)],
    "falun": [Plan(M, 1, 231), Plan(S, 2, 318, 0.33)],
    # Hallstahammar is in step 2 now: its safety survey runs until the step's planned end (22 December
    # 2026), so the demo has an open survey to answer through the public link and the poster.
    "hallstahammar": [Plan(M, 1, 244), Plan(S, 2, 336, 0.41, days_open=80)],
    "sala": [Plan(M, 1, 226), Plan(S, 2, 362, 0.42), Plan(F, 5, 341, 0.28, after=True)],
    "ludvika": [Plan(M, 1, 46, open_after=21, days_open=38)],
}
TITLES = {M: "Kartläggning: %(place)s", S: "Trygghetsenkät: %(place)s", F: "Uppföljande trygghetsenkät: %(place)s",
          P: "Samverkansenkät vid start: %(place)s"}

# Avesta's personal invitations (SPEC §5.2): (e-mail, category, answered on day n of the survey or
# None, reminders sent). The demo accounts are among them; the rest are fictional addresses.
PO, POL, B, C = (StakeholderCategory.PROPERTY_OWNER, StakeholderCategory.POLICE, StakeholderCategory.BUSINESS,
                StakeholderCategory.CENTRE_ORGANISATION)
INVITEES = [
    ("polis@avesta.example", POL, 3, 0),
    ("fastighetsagare@avesta.example", PO, None, 2),
    ("forvaltning@torghuset.example", PO, 2, 0),
    ("olle.grahn@torghuset.example", PO, 16, 1),
    ("omrade.centrum@bostadsbolaget.example", PO, 5, 0),
    ("kundtjanst@bostadsbolaget.example", PO, None, 2),
    ("info@kungsgatans-fastigheter.example.se", PO, 30, 2),
    ("fastighet@stationshuset.example.se", PO, None, 2),
    ("kommunpolis.avesta@polisen.example", POL, 8, 0),
    ("ingripande.bergslagen@polisen.example", POL, None, 2),
    ("butiken@torgkiosken.example.se", B, 4, 0),
    ("kontakt@cafe-kungsgatan.example.se", B, 17, 1),
    ("hej@blomsterhornan.example.se", B, None, 2),
    ("ordforande@centrumforeningen.example", C, 1, 0),
    ("styrelsen@centrumforeningen.example", C, None, 1),
]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _dates(project: Project, plan: Plan) -> tuple[date, date]:
    step = project.steps.get(number=plan.step)
    opens = step.planned_start + timedelta(days=plan.open_after)
    return opens, min(opens + timedelta(days=plan.days_open), step.planned_end)


def _days(opens: date, closes: date, rng: random.Random, count: int) -> list[date]:
    """Submission days over the open period (up to today): many at the launch and after the two
    reminders (+14 and +28 days), fewer in between."""
    last = min(closes, timezone.localdate())
    span = (last - opens).days
    if span < 0:
        return []
    weights = [1 + 4 * 0.7 ** n + 2 * 0.6 ** abs(n - 14) + 1.5 * 0.6 ** abs(n - 28) for n in range(span + 1)]
    return sorted(opens + timedelta(days=n) for n in rng.choices(range(span + 1), weights=weights, k=count))


def _write(survey: Survey, project: Project, plan: Plan, rng: random.Random,
           forced: list[tuple[str, date]] = ()) -> None:
    """The plan's responses; `forced` are (category, day) pairs the responses must include."""
    polygon = area_shape(project)
    days = _days(survey.opens_on, survey.closes_on, rng, plan.responses)
    if polygon is None or not days:
        return
    people = respondents(rng, len(days), plan.evening_unsafe or 0.35, forced=[c for c, _d in forced],
                         members=plan.members)
    days = [d for _c, d in forced] + days[len(forced):]
    builder = ResponseBuilder(survey, polygon, demo_places(project), rng, after=plan.after)
    responses, answers = [], []
    for person, day in zip(people, days):
        response, rows = builder.build(person, day)
        responses.append(response)
        answers += rows
    _insert(Response, responses)
    _insert(Answer, answers)


def _insert(model, objects: list) -> None:
    """bulk_create without the ORM's per-batch SQL compilation (SQLite allows only 999 parameters
    per statement, so bulk_create compiles hundreds of statements for the demo's ~30 000 answers):
    one INSERT run with executemany. Values go through each field's own preparation, as in save()."""
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    rows = [tuple(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields) for obj in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _invitations(survey: Survey, context: DemoContext) -> list[tuple[str, date]]:
    """Avesta's invitations, sent the day the survey opened; returns (category, day) of the answered
    ones, whose anonymous responses the survey must then contain."""
    sent = _at(survey.opens_on, 8)
    answered, rows = [], []
    for email, category, answered_after, reminders in INVITEES:
        used_on = survey.opens_on + timedelta(days=answered_after) if answered_after is not None else None
        reminded = [sent + timedelta(days=days, hours=1) for days in (survey.reminder_days or [])[:reminders]]
        rows.append(Invitation(survey=survey, email=email, category=category, user=context.users.get(email),
                               sent_at=sent, reminders_sent=len(reminded),
                               last_reminded_at=reminded[-1] if reminded else None, used_on=used_on))
        if used_on:
            answered.append((category, used_on))
    Invitation.objects.bulk_create(rows)
    return answered


def _seed_project(project: Project, slug: str, context: DemoContext) -> None:
    coordinator = context.users[f"samordnare@{slug}.example"]
    baseline = None
    for plan in PLANS[slug]:
        rng = random.Random(f"surveys-{slug}-{plan.kind}")
        survey = survey_create(project=project, kind=plan.kind, user=coordinator,
                               title=TITLES[plan.kind] % {"place": project.place_name},
                               baseline=baseline if plan.kind == F else None)
        survey.opens_on, survey.closes_on = _dates(project, plan)
        survey.published_at = _at(survey.opens_on - timedelta(days=3), 10)
        survey.save(update_fields=["opens_on", "closes_on", "published_at"])
        # The history tells it as it happened: created a week before it was published.
        AuditEntry.objects.filter(project=project, target_id=str(survey.pk), action="survey.created").update(
            at=survey.published_at - timedelta(days=7))
        forced = _invitations(survey, context) if slug == "avesta" and plan.kind == S else []
        _write(survey, project, plan, rng, forced)
        if plan.kind == S:
            baseline = survey


def seed_surveys(context: DemoContext) -> None:
    for slug in PLANS:
        project = Project.objects.filter(municipality=context.orgs[slug]).order_by("pk").first()
        if project is None or project.surveys.exists():
            continue
        _seed_project(project, slug, context)


def register() -> None:
    register_seeder(SEEDER_ORDER, "surveys", seed_surveys)
