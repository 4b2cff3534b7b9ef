"""Demo of the five-step workflow (SPEC §13): each project at its own step, with meetings, a site
walk with observations, the partnership organisation, goals, a joint case and a coaching log.

Everything is fictional. Built once per project: a project that already has meetings is left
alone, so running seed_demo again changes nothing.
"""
from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from trygga_platser.tenancy.demo import DemoContext
from trygga_platser.tenancy.models import Project, StakeholderCategory

from .models import (
    Actor,
    ActorContact,
    CoachingEntry,
    Goal,
    GroupMember,
    JointCase,
    Meeting,
    MeetingParticipant,
    Observation,
    PartnershipGroup,
    SiteWalkStop,
    WorkArea,
)

# Municipality slug → the step the project is in (SPEC §13: Sala finished, Avesta in step 4, …).
CURRENT_STEP = {"sala": 6, "avesta": 4, "falun": 3, "hallstahammar": 2, "ludvika": 1}

ACTORS = [
    ("Torghuset Fastigheter AB (fiktiv)", StakeholderCategory.PROPERTY_OWNER, "Äger husen runt torget.",
     [("Karin Sjöberg", "Förvaltare"), ("Olle Grahn", "Fastighetschef")]),
    ("Bostadsbolaget (fiktivt)", StakeholderCategory.PROPERTY_OWNER, "Allmännyttan, hyresrätter i centrum.",
     [("Lina Ahmadi", "Områdesansvarig")]),
    ("Lokalpolisområdet (fiktivt)", StakeholderCategory.POLICE, "Kommunpolis och områdespoliser.",
     [("Per Holm", "Kommunpolis")]),
    ("Centrumföreningen (fiktiv)", StakeholderCategory.CENTRE_ORGANISATION, "Handlare och restauranger.",
     [("Mona Berg", "Ordförande")]),
    ("Räddningstjänsten (fiktiv)", StakeholderCategory.RESCUE_SERVICE, "Förebyggande arbete och anlagda bränder.",
     [("Tomas Lund", "Brandinspektör")]),
    ("Kvinnojouren och föreningslivet (fiktivt)", StakeholderCategory.CIVIL_SOCIETY, "Nattvandrare och föreningar.",
     [("Ayla Demir", "Samordnare nattvandring")]),
]

OBSERVATIONS = [
    ("Gångtunneln är mörk, två armaturer trasiga.", WorkArea.SAFETY),
    ("Klotter på elskåpet vid busshållplatsen.", WorkArea.CLEANLINESS),
    ("Buskagen skymmer sikten mot parkeringen.", WorkArea.SAFETY),
    ("Tomma skyltfönster längs gågatan ger ett ödsligt intryck.", WorkArea.OFFERING),
    ("Bänkarna på torget är slitna och få.", WorkArea.ATTRACTIVENESS),
    ("Papperskorgarna är överfulla efter helgen.", WorkArea.CLEANLINESS),
    ("Ungdomar samlas vid kiosken sent på kvällen; ingen annan verksamhet är öppen.", WorkArea.ACTIVITIES),
    ("Skylten mot resecentrum saknas vid korsningen.", WorkArea.ATTRACTIVENESS),
    ("Cykelstället är trasigt och cyklar står i gångvägen.", WorkArea.CLEANLINESS),
    ("Belysningen vid entrén till parkeringshuset bländar.", WorkArea.SAFETY),
]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _demo_photo(seed: int, caption: str) -> ContentFile:
    """A plainly synthetic picture, so nobody mistakes it for a real place or person."""
    rng = random.Random(seed)
    image = Image.new("RGB", (800, 600), (rng.randint(90, 160), rng.randint(100, 160), rng.randint(110, 170)))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randint(0, 700), rng.randint(150, 550)
        draw.rectangle([x, y, x + rng.randint(60, 200), y + rng.randint(40, 120)],
                       fill=(rng.randint(40, 220), rng.randint(40, 220), rng.randint(40, 220)))
    draw.rectangle([0, 0, 800, 70], fill=(20, 20, 20))
    draw.text((20, 25), f"DEMOBILD – {caption[:60]}", fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name=f"demo-{seed}.jpg")


def _progress_steps(project: Project, coordinator, current: int) -> None:
    today = timezone.localdate()
    for step in project.steps.order_by("number"):
        activities = list(step.activities.order_by("order"))
        if step.number < current:
            for index, activity in enumerate(activities):
                day = min(step.planned_start + timedelta(days=7 * (index + 1)), step.planned_end)
                activity.done_at = _at(day, 15)
                activity.done_by = coordinator
            step.completed_at = _at(min(step.planned_end, today), 16)
            step.completed_by = coordinator
            step.save(update_fields=["completed_at", "completed_by"])
        elif step.number == current:
            # Part of the current step is done: the first activities, in order.
            for activity in activities[: max(1, len(activities) // 2)]:
                activity.done_at = _at(min(step.planned_start + timedelta(days=10), today), 14)
                activity.done_by = coordinator
        for activity in activities:
            activity.save(update_fields=["done_at", "done_by"])
    if current > 5:
        project.status = Project.Status.COMPLETED
    project.save(update_fields=["status"])


def _meetings(project: Project, context: DemoContext, slug: str, coordinator) -> None:
    """A meeting for each workshop, site walk and training activity that is done, linked to it."""
    members = list(project.memberships.select_related("user"))
    kinds = {"workshop": Meeting.Kind.WORKSHOP, "site_walk": Meeting.Kind.SITE_WALK, "training": Meeting.Kind.TRAINING}
    rng = random.Random(slug)
    site_walk_done = False
    for step in project.steps.order_by("number").prefetch_related("activities"):
        for activity in step.activities.all():
            if activity.evidence_kind not in kinds or not (activity.is_done or step.number == CURRENT_STEP[slug]):
                continue
            day = activity.done_at.date() - timedelta(days=2) if activity.is_done else (
                max(step.planned_start, timezone.localdate()) + timedelta(days=12))
            held = activity.is_done
            meeting = Meeting.objects.create(
                project=project, kind=kinds[activity.evidence_kind], title=activity.title,
                starts_at=_at(day, 17 if activity.evidence_kind == "site_walk" else 13),
                ends_at=_at(day, 19 if activity.evidence_kind == "site_walk" else 16),
                location="Samling vid torget" if activity.evidence_kind == "site_walk" else "Kommunhuset, sal Dalälven",
                agenda="1. Välkomna och presentation\n2. Genomgång av nuläget\n3. Gruppdiskussion\n4. Nästa steg",
                minutes=("Deltagarna gick igenom nuläget och diskuterade de platser som upplevs som mest otrygga."
                         if held else ""),
                decisions=("Arbetsgruppen tar fram förslag på åtgärder till nästa möte." if held else ""),
                status=Meeting.Status.HELD if held else Meeting.Status.PLANNED, created_by=coordinator,
            )
            activity.meeting = meeting
            activity.save(update_fields=["meeting"])
            for membership in members:
                MeetingParticipant.objects.create(
                    meeting=meeting, user=membership.user, organisation=membership.organisation_name,
                    category=membership.stakeholder_category, attended=(rng.random() > 0.15) if held else None,
                    invited_at=meeting.starts_at - timedelta(days=14))
            for name, org, category in [("Eva Lind", "Centrumföreningen (fiktiv)", StakeholderCategory.CENTRE_ORGANISATION),
                                        ("Ali Hassan", "Bostadsbolaget (fiktivt)", StakeholderCategory.PROPERTY_OWNER),
                                        ("Greta Nilsson", "Pensionärsföreningen (fiktiv)", StakeholderCategory.CIVIL_SOCIETY)]:
                MeetingParticipant.objects.create(
                    meeting=meeting, guest_name=name, guest_email=f"{name.split()[0].lower()}@exempel.example",
                    organisation=org, category=category, attended=(rng.random() > 0.2) if held else None,
                    invited_at=meeting.starts_at - timedelta(days=14))
            if meeting.kind == Meeting.Kind.SITE_WALK and held and not site_walk_done:
                _site_walk(project, meeting, coordinator, rng)
                site_walk_done = True


def _site_walk(project: Project, meeting: Meeting, coordinator, rng: random.Random) -> None:
    ring = project.area["coordinates"][0][:-1]
    names = ["Busshållplatsen", "Gångtunneln", "Torget", "Parkeringshuset", "Gågatan"]
    stops = []
    for order, name in enumerate(names):
        a, b = ring[order % len(ring)], ring[(order + 2) % len(ring)]
        lon, lat = (a[0] * 2 + b[0]) / 3, (a[1] * 2 + b[1]) / 3
        stops.append(SiteWalkStop.objects.create(meeting=meeting, order=order, name=name, lon=round(lon, 6),
                                                 lat=round(lat, 6), note=""))
    for index, (text, category) in enumerate(OBSERVATIONS):
        stop = stops[index % len(stops)]
        observation = Observation(
            meeting=meeting, stop=stop, text=text, category=category,
            lon=round(stop.lon + rng.uniform(-0.0003, 0.0003), 6), lat=round(stop.lat + rng.uniform(-0.00015, 0.00015), 6),
            finding_status=Observation.FindingStatus.FINDING if index % 3 == 0 else Observation.FindingStatus.NOTED,
            created_by=coordinator,
        )
        if index < 4:
            observation.photo.save(f"demo-{meeting.pk}-{index}.jpg", _demo_photo(meeting.pk * 100 + index, text),
                                   save=False)
        observation.save()


def _partnership(project: Project, context: DemoContext, slug: str, current: int) -> None:
    actors = []
    for name, category, description, contacts in ACTORS[: 3 + min(current, 3)]:
        actor = Actor.objects.create(project=project, name=name, category=category, description=description)
        for person, title in contacts:
            email = f"{person.split()[0].lower()}.{slug}@exempel.example"
            ActorContact.objects.create(actor=actor, name=person, title=title, email=email)
        actors.append(actor)
    if current < 3:
        return
    coordinator = context.users[f"samordnare@{slug}.example"]
    steering = PartnershipGroup.objects.create(
        project=project, kind=PartnershipGroup.Kind.STEERING, name="Styrgrupp",
        purpose="Beslutar om inriktning, resurser och prioriteringar.", meeting_cadence="Fyra gånger per år")
    working = PartnershipGroup.objects.create(
        project=project, kind=PartnershipGroup.Kind.WORKING, name="Arbetsgrupp",
        purpose="Genomför och följer upp handlingsplanen.", meeting_cadence="En gång i månaden")
    GroupMember.objects.create(group=steering, user=coordinator, role=GroupMember.Role.CONVENER)
    GroupMember.objects.create(group=working, user=coordinator, role=GroupMember.Role.CHAIR)
    for index, actor in enumerate(actors):
        contact = actor.contacts.first()
        GroupMember.objects.create(group=working, contact=contact,
                                   role=GroupMember.Role.SECRETARY if index == 0 else GroupMember.Role.MEMBER)
        if index < 3:
            GroupMember.objects.create(group=steering, contact=contact)
    Goal.objects.create(
        project=project, horizon=Goal.Horizon.SHORT, title="Fler känner sig trygga på torget på kvällen",
        indicator="Andel som känner sig mycket eller ganska trygga i området sent på kvällen",
        source=Goal.Source.SURVEY, indicator_key="safe_evening", target_value=70, unit="%", baseline_value=52,
        due_date=project.start_date + timedelta(days=360))
    Goal.objects.create(
        project=project, horizon=Goal.Horizon.SHORT, title="Handlingsplanen genomförs",
        indicator="Andel åtgärder som är genomförda eller påbörjade", source=Goal.Source.ACTION_PLAN,
        target_value=50, unit="%", due_date=project.start_date + timedelta(days=364))
    Goal.objects.create(
        project=project, horizon=Goal.Horizon.LONG, title="Färre anmälda skadegörelsebrott i området",
        indicator="Anmälda skadegörelsebrott per år", source=Goal.Source.MANUAL, comparison=Goal.Comparison.AT_MOST,
        target_value=40, unit="st", baseline_value=61, outcome_value=47 if current > 5 else None,
        due_date=project.start_date + timedelta(days=3 * 365))
    if current >= 4:
        case = JointCase.objects.create(
            project=project, title="Ljusare Kungsgatan" if slug == "avesta" else "Torgdag med nattvandring",
            description="Fastighetsägare, handlare och kommunen byter belysning, rensar buskage och ordnar en "
                        "kvällsaktivitet tillsammans.",
            status=JointCase.Status.DONE if current > 5 else JointCase.Status.ONGOING,
            start_date=project.start_date + timedelta(days=330),
            follow_up="Belysningen är bytt längs hela gatan och fler rör sig där på kvällen." if current > 5 else "")
        case.actors.set(actors[:4])


def _coaching(project: Project, context: DemoContext, current: int) -> None:
    coach = context.users["coach@partner.example"]
    if not project.memberships.filter(user=coach).exists():
        return
    topics = [("Uppstart och förankring", "Genomgång av modellen och rollfördelningen med samordnaren."),
              ("Inför trygghetsvandringen", "Planering av rutt, inbjudningar och dokumentation."),
              ("Styrgruppens mandat", "Samtal om beslutsvägar och hur styrgruppen kan prioritera."),
              ("Prioritering av åtgärder", "Stöd i att prioritera efter effekt och insats.")]
    for index, (topic, notes) in enumerate(topics[: max(1, min(current, 4))]):
        CoachingEntry.objects.create(project=project, author=coach, topic=topic, notes=notes,
                                     next_steps="Samordnaren återkommer med förslag till nästa träff.",
                                     date=project.start_date + timedelta(days=45 + 80 * index))


def _history(project: Project, coordinator) -> None:
    """Audit entries for what the demo did, dated when it happened in the story."""
    from trygga_platser.audit.models import AuditEntry

    entries = []
    for step in project.steps.order_by("number").prefetch_related("activities"):
        for activity in step.activities.all():
            if activity.done_at:
                entries.append(AuditEntry(project=project, actor=coordinator, action="activity.done",
                                          target_type="projects.activity", target_id=str(activity.pk),
                                          summary=f"Markerade ”{activity.title}” som klar"))
                entries[-1]._at = activity.done_at
        if step.completed_at:
            entries.append(AuditEntry(project=project, actor=coordinator, action="step.completed",
                                      target_type="projects.step", target_id=str(step.pk),
                                      summary=f"Slutförde {step.title}"))
            entries[-1]._at = step.completed_at
    created = AuditEntry.objects.bulk_create(entries)
    for entry, source in zip(created, entries):
        AuditEntry.objects.filter(pk=entry.pk).update(at=source._at)


def seed_workflow(context: DemoContext) -> None:
    for slug, current in CURRENT_STEP.items():
        project = Project.objects.filter(municipality=context.orgs[slug]).order_by("pk").first()
        if project is None or project.meetings.exists():
            continue
        coordinator = context.users[f"samordnare@{slug}.example"]
        _progress_steps(project, coordinator, current)
        _meetings(project, context, slug, coordinator)
        _partnership(project, context, slug, current)
        _coaching(project, context, current)
        _history(project, coordinator)
