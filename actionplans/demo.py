"""Demo action plans (SPEC §13, issue 6): 20–40 actions per pilot project with a realistic spread of
statuses and dates, linked to the site walk's observations, some with progress updates.

Everything is fictional. Avesta ends above the pilots' 50 % done or started, Hallstahammar below; a
few actions are overdue. Built once per project: a project that already has actions is left alone,
so running seed_demo again changes nothing. Ludvika (outside the programme, step 1) gets none.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from projects.models import Actor, Goal, JointCase, Observation, WorkArea
from trygga_platser.tenancy.demo import DemoContext
from trygga_platser.tenancy.models import Project, ProjectMembership

from .models import Action, ActionUpdate
from .services.actions import action_create

S, O, A, C, K = (WorkArea.SAFETY, WorkArea.OFFERING, WorkArea.ATTRACTIVENESS, WorkArea.CLEANLINESS,
                 WorkArea.ACTIVITIES)

# Who answers for an action: the organisation's name, and the demo account that is the person (when
# that account is a member of the project; otherwise the organisation alone).
ORGANISATIONS = {
    "gata": ("Samhällsbyggnadsförvaltningen, gata/park", "coordinator"),
    "kommun": ("Kommunledningsförvaltningen", "coordinator"),
    "fritid": ("Kultur- och fritidsförvaltningen", "coordinator"),
    "polis": ("Polisen, lokalpolisområdet (fiktivt)", "polis@avesta.example"),
    "fastighet": ("Torgfastigheter AB (fiktiv)", "fastighetsagare@avesta.example"),
    "bostad": ("Bostadsbolaget (fiktivt)", ""),
    "centrum": ("Centrumföreningen (fiktiv)", ""),
    "forening": ("Föreningslivet och nattvandrarna (fiktivt)", ""),
    "raddning": ("Räddningstjänsten (fiktiv)", ""),
}


@dataclass(frozen=True)
class Template:
    title: str
    description: str
    category: str
    impact: int
    effort: int
    org: str
    observation: str = ""  # the site-walk observation it answers (demo_workflow.OBSERVATIONS)
    joint: bool = False  # part of the joint case


CATALOGUE = [
    Template("Byt trasiga armaturer i gångtunneln", "Två armaturer är trasiga och tunneln är mörk efter kl. 16.",
             S, 3, 1, "gata", "Gångtunneln är mörk, två armaturer trasiga.", joint=True),
    Template("Ljusare belysning längs Kungsgatan", "Byte till LED med jämnare ljus och färre mörka partier.",
             S, 3, 3, "gata", joint=True),
    Template("Rensa buskage mot parkeringen", "Beskär buskarna till knähöjd så att sikten blir fri.",
             S, 2, 1, "gata", "Buskagen skymmer sikten mot parkeringen."),
    Template("Klotterrensning inom 24 timmar", "Avtal med entreprenör om sanering av klotter inom ett dygn.",
             C, 3, 2, "fastighet", "Klotter på elskåpet vid busshållplatsen."),
    Template("Trygghetsvärdar på torget fredag och lördag kväll", "Två värdar kl. 18–23 under sommarhalvåret.",
             S, 3, 3, "kommun"),
    Template("Nattvandring varje fredag", "Vuxna nattvandrare i centrum, med utbildning och västar.",
             K, 2, 1, "forening"),
    Template("Öppna tomma lokaler med pop up-verksamhet", "Tillfälliga hyresavtal för konst, ungdomsverksamhet och "
             "föreningar i tomma butikslokaler.", O, 3, 2, "fastighet",
             "Tomma skyltfönster längs gågatan ger ett ödsligt intryck."),
    Template("Dekorera tomma skyltfönster", "Skolornas bildelever ställer ut i fönster som står tomma.",
             A, 1, 1, "centrum"),
    Template("Skyltning mot resecentrum", "Ny vägvisning vid korsningen och vid busshållplatsen.",
             A, 1, 1, "gata", "Skylten mot resecentrum saknas vid korsningen."),
    Template("Fler och nya bänkar på torget", "Sittplatser i sol och skugga, även med armstöd.",
             A, 2, 2, "gata", "Bänkarna på torget är slitna och få."),
    Template("Tömning av papperskorgar även på söndagar", "Utökat schema för tömning under helgerna.",
             C, 2, 1, "gata", "Papperskorgarna är överfulla efter helgen."),
    Template("Kvällsöppen mötesplats för unga", "Fritidsgården håller öppet till kl. 23 fredagar och lördagar.",
             K, 3, 2, "fritid", "Ungdomar samlas vid kiosken sent på kvällen; ingen annan verksamhet är öppen."),
    Template("Nytt cykelställ vid busshållplatsen", "Ersätt det trasiga stället och flytta det från gångvägen.",
             C, 1, 1, "gata", "Cykelstället är trasigt och cyklar står i gångvägen."),
    Template("Avbländad belysning vid parkeringshusets entré", "Byt armaturer som bländar till avskärmade.",
             S, 2, 1, "fastighet", "Belysningen vid entrén till parkeringshuset bländar."),
    Template("Ökad polisnärvaro fredag och lördag kväll", "Synlig närvaro kl. 20–02 i samverkan med "
             "trygghetsvärdarna.", S, 2, 2, "polis"),
    Template("Medborgarlöfte om trygghet i centrum", "Polisen och kommunen tar fram ett gemensamt medborgarlöfte.",
             S, 2, 2, "polis"),
    Template("Lägesbild varje vecka", "Kommun, polis och fastighetsägare delar lägesbild om händelser i centrum.",
             S, 2, 1, "polis"),
    Template("Kameraövervakning vid resecentrum utreds", "Utred behov och förutsättningar för kameror.",
             S, 2, 3, "polis"),
    Template("Trygghetsbesiktning av trapphus och entréer", "Fastighetsägarna besiktigar belysning och lås.",
             S, 2, 1, "bostad"),
    Template("Brandsäkra soprum och containrar", "Låsbara soprum och flytt av containrar från fasader.",
             S, 2, 2, "raddning"),
    Template("Torgdag med marknad en gång i månaden", "Lokala handlare, föreningar och musik på torget.",
             K, 2, 2, "centrum", joint=True),
    Template("Sommarkvällar med musik i parken", "Sex kvällar under juni–augusti.", K, 2, 2, "fritid"),
    Template("Förlängda öppettider i butikerna på torsdagar", "Handlarna provar att ha öppet till kl. 20.",
             O, 2, 2, "centrum"),
    Template("Uteserveringar längre in på hösten", "Förenklade tillstånd och värmare för uteserveringar.",
             O, 2, 1, "kommun"),
    Template("Planteringar och blomlådor längs gågatan", "Gröna inslag som gör gatan mer inbjudande.",
             A, 2, 2, "gata"),
    Template("Konstnärlig belysning under bron", "Ljuskonst som gör passagen ljusare och mer välkomnande.",
             A, 2, 3, "kommun"),
    Template("Städdag med skolor och föreningar", "En gemensam städdag varje vår.", C, 1, 1, "forening"),
    Template("Snabbare anmälan av skadegörelse", "Felanmälan med QR-kod på busshållplatser och elskåp.",
             C, 2, 1, "kommun"),
    Template("Buskröjning längs gång- och cykelvägen", "Röj sly och sänk häckar för fri sikt.", S, 2, 1, "gata"),
    Template("Belysning på gångstråket mot stationen", "Komplettera med belysningsstolpar där det är mörkt.",
             S, 3, 3, "gata"),
    Template("Ta bort skymmande reklamskyltar", "Gatupratare som skymmer sikten flyttas.", A, 1, 1, "centrum"),
    Template("Samverkansavtal med fastighetsägarna", "Avtal om städning, belysning och klotterrensning.",
             C, 3, 2, "kommun"),
    Template("Lokal för föreningar i det gamla bankhuset", "Föreningar får hyra lokalen kvällstid.",
             O, 2, 3, "bostad"),
    Template("Trygghetsvandring med äldre", "En vandring på dagtid med pensionärsföreningen.", K, 1, 1, "kommun"),
    Template("Utbildning för butikspersonal", "Hur man agerar vid hot och ordningsstörningar.", S, 1, 1, "polis"),
    Template("Ordningsvakter vid evenemang", "Krav på ordningsvakter vid större arrangemang på torget.",
             S, 2, 2, "kommun"),
    Template("Information om handlingsplanen på webben", "En sida där invånare följer åtgärderna.",
             A, 1, 1, "kommun"),
    Template("Ungdomsråd som tycker till om torget", "Unga får påverka utformningen av nya sittplatser.",
             K, 2, 1, "fritid"),
]


@dataclass(frozen=True)
class Plan:
    """How many actions a project has and how they stand (the rest are planned)."""

    count: int
    done: int
    in_progress: int
    cancelled: int
    overdue: int  # open actions past their due date


# Avesta 20/30 = 67 % done or started, Falun 10/23 = 43 %, Hallstahammar 6/20 = 30 %, Sala 23/26 = 88 %.
PLANS = {
    "avesta": Plan(count=32, done=11, in_progress=9, cancelled=2, overdue=3),
    "falun": Plan(count=24, done=4, in_progress=6, cancelled=1, overdue=2),
    "hallstahammar": Plan(count=20, done=2, in_progress=4, cancelled=0, overdue=2),
    "sala": Plan(count=28, done=19, in_progress=4, cancelled=2, overdue=0),
}

UPDATE_NOTES = {
    "start": ["Arbetet har påbörjats.", "Beställning är lagd hos entreprenören.",
              "Första mötet med de berörda är hållet.", "Budget är beslutad och arbetet är igång."],
    "progress": ["Halvvägs: återstår en del av sträckan.", "Väntar på leverans av material.",
                 "Avstämning i arbetsgruppen, tidplanen håller.", "Genomfört första gången, fortsätter varje vecka."],
    "done": ["Klart och avstämt på plats.", "Genomfört enligt plan.", "Klart; följs upp vid nästa trygghetsvandring."],
}


def _at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _members(project: Project) -> dict[str, object]:
    found = {m.user.email: m.user for m in ProjectMembership.objects.filter(project=project).select_related("user")}
    coordinator = (ProjectMembership.objects.filter(project=project, role=ProjectMembership.Role.COORDINATOR)
                   .select_related("user").order_by("joined_at", "pk").first())
    found["coordinator"] = coordinator.user if coordinator else None
    return found


def _point(project: Project, rng: random.Random) -> tuple[float | None, float | None]:
    ring = (project.area or {}).get("coordinates", [[]])[0][:-1]
    if len(ring) < 3:
        return None, None
    a, b, c = rng.sample(ring, 3)
    wa, wb = rng.random(), rng.random()
    if wa + wb > 1:
        wa, wb = 1 - wa, 1 - wb
    lon = a[0] + wa * (b[0] - a[0]) + wb * (c[0] - a[0])
    lat = a[1] + wa * (b[1] - a[1]) + wb * (c[1] - a[1])
    return round(lon, 6), round(lat, 6)


def _statuses(plan: Plan, rng: random.Random) -> list[tuple[str, bool]]:
    """(status, overdue) per action, shuffled but reproducible."""
    planned = plan.count - plan.done - plan.in_progress - plan.cancelled
    open_statuses = [Action.Status.IN_PROGRESS] * plan.in_progress + [Action.Status.PLANNED] * planned
    rng.shuffle(open_statuses)
    # The first `overdue` open ones are overdue: mostly started work that dragged on.
    opened = [(status, index < plan.overdue) for index, status in enumerate(open_statuses)]
    closed = [(Action.Status.DONE, False)] * plan.done + [(Action.Status.CANCELLED, False)] * plan.cancelled
    result = opened + closed
    rng.shuffle(result)
    return result


def _dates(project: Project, index: int, status: str, overdue: bool, today: date,
           rng: random.Random) -> tuple[date, date]:
    """Start and due dates told from the project's start, consistent with the status today."""
    base = min(project.start_date + timedelta(days=45 + 6 * index), today - timedelta(days=10))
    base = max(base, project.start_date)
    if overdue:
        due = today - timedelta(days=rng.randint(2, 40))
        return min(base, due - timedelta(days=30)), due
    if status == Action.Status.PLANNED:
        start = max(base, today + timedelta(days=rng.randint(7, 60)))
        return start, start + timedelta(days=rng.randint(30, 150))
    if status == Action.Status.IN_PROGRESS:
        return base, max(base + timedelta(days=60), today + timedelta(days=rng.randint(10, 150)))
    return base, base + timedelta(days=rng.randint(30, 120))


def _updates(action: Action, author, today: date, rng: random.Random, recent: bool) -> None:
    """Progress notes that tell how the action reached its status, the last one `recent` if asked."""
    if action.status not in (Action.Status.IN_PROGRESS, Action.Status.DONE):
        return
    end = min(today, action.due_date) if action.status == Action.Status.DONE else today
    start = min(action.start_date + timedelta(days=5), end)
    span = max((end - start).days, 0)
    notes = [("start", Action.Status.PLANNED, Action.Status.IN_PROGRESS)]
    if rng.random() < 0.6:
        notes.append(("progress", Action.Status.IN_PROGRESS, Action.Status.IN_PROGRESS))
    if action.status == Action.Status.DONE:
        notes.append(("done", Action.Status.IN_PROGRESS, Action.Status.DONE))
    days = sorted(start + timedelta(days=rng.randint(0, span)) for _ in notes)
    if recent:
        days[-1] = today - timedelta(days=rng.randint(0, 5))
        days = [min(d, days[-1]) for d in days]
    for (kind, before, after), day in zip(notes, days):
        ActionUpdate.objects.create(action=action, date=day, note=rng.choice(UPDATE_NOTES[kind]), author=author,
                                    status_before=before, status_after=after)
    if action.status == Action.Status.DONE:
        Action.objects.filter(pk=action.pk).update(closed_at=_at(days[-1], 15))


def _seed_project(project: Project, slug: str, plan: Plan, today: date) -> None:
    rng = random.Random(f"actions-{slug}")
    members = _members(project)
    coordinator = members["coordinator"]
    observations = {o.text: o for o in Observation.objects.filter(meeting__project=project).order_by("pk")}
    # Leave the last few observations open, so the demo still has findings to turn into actions.
    observations = dict(list(observations.items())[:-3])
    joint_case = JointCase.objects.filter(project=project).order_by("pk").first()
    safety_goal = Goal.objects.filter(project=project, horizon=Goal.Horizon.SHORT,
                                      source=Goal.Source.SURVEY).order_by("pk").first()
    actors = list(Actor.objects.filter(project=project).order_by("pk"))
    # Actions answering the site walk first, then the rest of the catalogue in a project's own order.
    linked = [t for t in CATALOGUE if t.observation in observations]
    others = [t for t in CATALOGUE if t not in linked]
    rng.shuffle(others)
    templates = (linked + others)[: plan.count]
    # Avesta's police and property owner answer for their own actions, one of them due within a week.
    due_soon_for = {"polis@avesta.example"} if "polis@avesta.example" in members else set()
    for index, (template, (status, overdue)) in enumerate(zip(templates, _statuses(plan, rng))):
        organisation, person_key = ORGANISATIONS[template.org]
        responsible = members.get(person_key) if person_key else None
        start, due = _dates(project, index, status, overdue, today, rng)
        if responsible is not None and person_key in due_soon_for and status in Action.OPEN_STATUSES and not overdue:
            start, due = min(start, today - timedelta(days=20)), today + timedelta(days=5)
            due_soon_for.discard(person_key)
        observation = observations.get(template.observation)
        if observation is not None and observation.lon is not None:
            lon, lat = observation.lon, observation.lat
        else:
            lon, lat = _point(project, rng) if rng.random() < 0.7 else (None, None)
        action = action_create(
            user=coordinator, project=project,
            findings=[("observation", str(observation.pk), observation.text)] if observation else [],
            other_actors=[actors[index % len(actors)]] if actors and index % 3 == 0 else [],
            title=template.title, description=template.description, category=template.category,
            lon=lon, lat=lat, responsible_organisation=organisation, responsible=responsible,
            impact=template.impact, effort=template.effort,
            horizon=Action.Horizon.LONG if template.effort == 3 else Action.Horizon.SHORT,
            goal=safety_goal if template.category == WorkArea.SAFETY else None,
            start_date=start, due_date=due, status=status,
            cost_estimate=rng.choice([None, 5000, 15000, 40000, 120000, 350000]),
            funding=rng.choice(["", "Driftbudget gata/park", "Brottsförebyggande rådets budget",
                                "Fastighetsägarnas samverkansavtal", "Statsbidrag (sökt)"]),
            joint_case=joint_case if template.joint else None,
        )
        _updates(action, responsible or coordinator, today, rng, recent=index % 4 == 0)


def seed_actions(context: DemoContext) -> None:
    today = timezone.localdate()
    for slug, plan in PLANS.items():
        project = Project.objects.filter(municipality=context.orgs[slug]).order_by("pk").first()
        if project is None or project.actions.exists():
            continue
        _seed_project(project, slug, plan, today)
