"""Ship the two model variants as data (SPEC §3): editable in the admin afterwards.

Wording is our own, after the Trygga Platser model's five steps (SPEC §3.1–§3.5).
"""
from decimal import Decimal

from django.db import migrations

# (key, required, evidence, sv title, en title, sv description, en description)
STEP_1 = [
    ("kartlaggning", True, "mapping_survey", "Digital kartläggning av trygghet och attraktivitet",
     "Digital mapping of safety and attractiveness",
     "Låt boende, besökare och verksamma markera platser som känns otrygga, trygga och attraktiva i området.",
     "Let residents, visitors and people working in the area pin places that feel unsafe, safe and attractive."),
    ("uppstartsworkshop", True, "workshop", "Uppstartsworkshop med platsens aktörer",
     "Kick-off workshop with the place's actors",
     "Samla politiker, tjänstepersoner, fastighetsägare, polis och näringsliv kring syftet och arbetssättet.",
     "Bring politicians, officials, property owners, police and business together around the purpose and way of working."),
    ("platsvandring", True, "site_walk", "Platsvandring i området", "Site walk in the area",
     "Gå området tillsammans och notera vad som påverkar tryggheten. Högst cirka 20 deltagare.",
     "Walk the area together and note what affects safety. At most about 20 participants."),
]
STEP_2 = [
    ("trygghetsenkat", True, "safety_survey", "Trygghetsenkät", "Safety survey",
     "Mät hur trygga människor känner sig i området, vad de undviker och vilka problem de ser.",
     "Measure how safe people feel in the area, what they avoid and which problems they see."),
    ("trygghetsbesiktning", True, "inspection", "Trygghetsbesiktning av den fysiska miljön",
     "Safety inspection of the physical environment",
     "Bedöm inspektionspunkter i området utifrån den fysiska miljöns aspekter, i dagsljus och mörker.",
     "Rate inspection points in the area on the aspects of the physical environment, in daylight and after dark."),
    ("nulagesanalys", False, "current_state", "Sammanställ nulägesanalysen", "Compile the current-state analysis",
     "För samman kartläggning, enkät, besiktning och brottsstatistik till en gemensam bild av platsen.",
     "Bring the mapping, survey, inspection and crime statistics together into one picture of the place."),
    ("workshop_handlingsplan", True, "workshop", "Workshop som tar fram handlingsplanen",
     "Workshop producing the action plan",
     "Gå igenom nulägesanalysen tillsammans och formulera åtgärder med ansvariga.",
     "Review the current-state analysis together and formulate actions with people responsible."),
]
STEP_3 = [
    ("samverkansorganisation", True, "partnership", "Bilda samverkansorganisationen",
     "Form the partnership organisation",
     "Bestäm styrgrupp och arbetsgrupp, roller, mötesrytm och skriv en samverkansöverenskommelse.",
     "Decide the steering and working groups, roles and meeting cadence, and write a partnership agreement."),
    ("fordjupad_kartlaggning", False, "", "Fördjupad kartläggning av utbud, utformning och tillgänglighet",
     "Deeper mapping of the offering, design and accessibility",
     "Kartlägg vad platsen erbjuder, hur den är utformad och hur tillgänglig den är.",
     "Map what the place offers, how it is designed and how accessible it is."),
    ("utbildning", False, "training", "Teambuilding, inspiration och utbildning", "Team building, inspiration and training",
     "Stärk gruppen och ge deltagarna gemensam kunskap om platssamverkan och situationell brottsprevention.",
     "Strengthen the group and give participants shared knowledge of place partnerships and situational crime prevention."),
    ("mal", True, "goals", "Formulera kort- och långsiktiga mål", "Set short- and long-term goals",
     "Sätt mål med indikator och målvärde, gärna kopplade till trygghetsenkäten och handlingsplanen.",
     "Set goals with an indicator and a target, preferably tied to the safety survey and the action plan."),
    ("workshop_steg3", True, "workshop", "Workshop och platsvandring", "Workshop and site walk",
     "Följ upp läget på platsen tillsammans med samverkansorganisationen.",
     "Follow up the state of the place together with the partnership organisation."),
]
STEP_4 = [
    ("gemensamt_case", True, "joint_case", "Genomför ett gemensamt case", "Carry out a joint case",
     "Genomför en konkret insats tillsammans med platsens aktörer, till exempel en belysningsvandring eller ett torgevenemang.",
     "Carry out a concrete initiative with the place's actors, such as a lighting walk or a square event."),
    ("komplettera_handlingsplan", True, "action_plan", "Komplettera handlingsplanen", "Complete the action plan",
     "Lägg till åtgärder som saknas och se till att varje åtgärd har ansvarig och tidplan.",
     "Add missing actions and make sure every action has someone responsible and a schedule."),
    ("prioritera", True, "action_plan", "Prioritera åtgärderna", "Prioritise the actions",
     "Prioritera utifrån effekt och insats.", "Prioritise by impact and effort."),
    ("processtod", False, "coaching", "Processtöd och coachning", "Process support and coaching",
     "Processtödet coachar samordnaren och gruppen; notera stödet i coachningsloggen.",
     "The process coach supports the coordinator and the group; note the support in the coaching log."),
    ("workshop_steg4", True, "workshop", "Workshop", "Workshop",
     "Stäm av genomförandet och justera prioriteringarna.", "Review progress and adjust priorities."),
]
STEP_5 = [
    ("uppfoljning_case", True, "joint_case", "Följ upp det gemensamma caset", "Follow up the joint case",
     "Beskriv vad caset gav och vad ni tar med er.", "Describe what the case achieved and what you take with you."),
    ("uppfoljning_organisation", True, "action_plan", "Följ upp samverkansorganisationen och handlingsplanen",
     "Follow up the partnership organisation and the action plan",
     "Hur stor andel av åtgärderna är genomförda eller påbörjade, och hur fungerar samverkan?",
     "What share of the actions is done or started, and how does the partnership work?"),
    ("avslutande_workshop", True, "workshop", "Avslutande workshop", "Closing workshop",
     "Summera resultaten och besluta om det fortsatta arbetet.", "Sum up the results and decide on the continued work."),
    ("slutrapport", True, "final_report", "Slutrapport", "Final report",
     "Sammanställ resultat, mål och lärdomar i en slutrapport.", "Compile results, goals and lessons in a final report."),
]

FULL_EXTRA = {
    1: [("samverkansanalys_start", True, "partnership_survey", "Samverkansanalys vid start",
         "Partnership analysis at the start",
         "Mät hur samverkan fungerar när projektet börjar, med en enkät till samverkansparterna.",
         "Measure how the partnership works at the start, with a survey of the partners.")],
    5: [
        ("uppfoljande_trygghetsenkat", True, "followup_survey", "Uppföljande trygghetsenkät", "Follow-up safety survey",
         "Upprepa trygghetsenkäten och jämför med nollmätningen.", "Repeat the safety survey and compare with the baseline."),
        ("uppfoljande_besiktning", True, "inspection", "Uppföljande trygghetsbesiktning", "Follow-up safety inspection",
         "Besiktiga samma punkter igen och jämför aspekterna.", "Inspect the same points again and compare the aspects."),
        ("samverkansanalys_slut", True, "partnership_survey", "Samverkansanalys vid avslut",
         "Partnership analysis at the end",
         "Upprepa samverkansenkäten och jämför med starten.", "Repeat the partnership survey and compare with the start."),
        ("uppfoljningsperiod", True, "", "Uppföljningsperiod", "Follow-up period",
         "Följ åtgärdernas effekt under en period innan projektet avslutas.",
         "Follow the effect of the actions for a period before the project closes."),
    ],
}

STEPS = [
    (1, "Steg 1 – Uppstart av nuläge", "Step 1 – Start-up and first mapping",
     "Kartlägg platsen och samla aktörerna.", "Map the place and gather its actors.", STEP_1),
    (2, "Steg 2 – Nulägesanalys", "Step 2 – Current-state analysis",
     "Mät tryggheten och bedöm den fysiska miljön.", "Measure safety and assess the physical environment.", STEP_2),
    (3, "Steg 3 – Samverkansorganisation", "Step 3 – Partnership organisation",
     "Bygg den organisation som bär arbetet.", "Build the organisation that carries the work.", STEP_3),
    (4, "Steg 4 – Platsutveckling", "Step 4 – Place development",
     "Genomför åtgärder och ett gemensamt case.", "Carry out actions and a joint case.", STEP_4),
    (5, "Steg 5 – Resultat och avslut", "Step 5 – Results and closing",
     "Följ upp resultaten och avsluta projektet.", "Follow up the results and close the project.", STEP_5),
]

VARIANTS = [
    ("instegsmodell", "Instegsmodell", "Entry model", 12,
     "Tolv månader genom modellens fem steg.", "Twelve months through the model's five steps.",
     {1: "0.15", 2: "0.20", 3: "0.20", 4: "0.30", 5: "0.15"}, {}),
    ("fullskalig", "Fullskalig modell", "Full-scale model", 24,
     "24 månader med samverkansanalys vid start och slut, uppföljande enkät och besiktning samt en uppföljningsperiod.",
     "24 months with a partnership analysis at start and end, a follow-up survey and inspection, and a follow-up period.",
     {1: "0.12", 2: "0.16", 3: "0.16", 4: "0.26", 5: "0.30"}, FULL_EXTRA),
]


def ship(apps, schema_editor):
    Variant = apps.get_model("projects", "Variant")
    VariantStep = apps.get_model("projects", "VariantStep")
    VariantActivity = apps.get_model("projects", "VariantActivity")
    for order, (slug, title, title_en, months, desc, desc_en, shares, extra) in enumerate(VARIANTS):
        variant, _ = Variant.objects.update_or_create(
            slug=slug,
            defaults=dict(title=title, title_en=title_en, description=desc, description_en=desc_en,
                          duration_months=months, order=order),
        )
        for number, s_title, s_title_en, s_desc, s_desc_en, activities in STEPS:
            step, _ = VariantStep.objects.update_or_create(
                variant=variant, number=number,
                defaults=dict(title=s_title, title_en=s_title_en, description=s_desc, description_en=s_desc_en,
                              share=Decimal(shares[number])),
            )
            rows = list(extra.get(number, [])) + list(activities) if number == 1 else list(activities) + list(extra.get(number, []))
            for index, (key, required, evidence, a_title, a_title_en, a_desc, a_desc_en) in enumerate(rows):
                VariantActivity.objects.update_or_create(
                    step=step, key=key,
                    defaults=dict(title=a_title, title_en=a_title_en, description=a_desc, description_en=a_desc_en,
                                  required=required, evidence_kind=evidence, order=index),
                )


def unship(apps, schema_editor):
    apps.get_model("projects", "Variant").objects.filter(slug__in=[v[0] for v in VARIANTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(ship, unship)]
