"""The shipped inspection aspects and factors (SPEC §6.1) and the default score thresholds.

The nine aspect names follow BoTryggt2030's list; the factors and the guidance are our own wording.
Organisations copy this set (`aspects_customise`) before they change it, so the shipped rows stay as
they are here. Reverse removes only the shipped rows that no inspection has scored.
"""
from django.db import migrations

# (key, name, name_en, description, description_en, [(factor, factor_en, guidance, guidance_en), …])
ASPECTS = [
    ("gestaltning", "Gestaltning", "Design",
     "Hur platsen är formad: rum, siktlinjer, material och skala.",
     "How the place is shaped: spaces, sight lines, materials and scale.", [
         ("Överblickbarhet", "Overview",
          "Kan man se hela platsen och vart man är på väg? Finns det skymda hörn eller gömställen?",
          "Can you see the whole place and where you are going? Are there hidden corners or hiding places?"),
         ("Siktlinjer och växtlighet", "Sight lines and planting",
          "Skymmer buskar, murar eller skärmar sikten i ögonhöjd?",
          "Do bushes, walls or screens block the view at eye level?"),
         ("Alternativa vägar", "Alternative routes",
          "Kan man välja en annan väg eller vända om man känner sig otrygg? Finns det återvändsgränder?",
          "Can you choose another way or turn back if you feel unsafe? Are there dead ends?"),
         ("Skala och omsorg", "Scale and care",
          "Känns platsen omhändertagen och anpassad till människor till fots?",
          "Does the place feel cared for and made for people on foot?"),
     ]),
    ("mix-av-funktioner", "Mix av funktioner", "Mix of functions",
     "Vad som finns på platsen och i närheten, och när det är öppet.",
     "What there is at and near the place, and when it is open.", [
         ("Blandade verksamheter", "Mixed uses",
          "Finns bostäder, butiker, service och arbetsplatser nära varandra?",
          "Are homes, shops, services and workplaces close to each other?"),
         ("Aktivitet över dygnet", "Activity around the clock",
          "Är något öppet eller i bruk på kvällen och helgen?",
          "Is anything open or in use in the evening and at the weekend?"),
         ("Aktiva bottenvåningar", "Active ground floors",
          "Har husen fönster och entréer mot gatan, eller blinda fasader?",
          "Do the buildings have windows and entrances facing the street, or blank walls?"),
     ]),
    ("mix-av-manniskor", "Mix av människor", "Mix of people",
     "Vilka som använder platsen, och om alla känner sig välkomna.",
     "Who uses the place, and whether everyone feels welcome.", [
         ("Olika grupper", "Different groups",
          "Används platsen av kvinnor och män, unga och äldre, boende och besökare?",
          "Is the place used by women and men, young and old, residents and visitors?"),
         ("Platser att vara på", "Places to stay",
          "Finns det sittplatser och skäl att stanna, inte bara passera?",
          "Are there seats and reasons to stay, not only to pass through?"),
         ("Dominans", "Dominance",
          "Tar en grupp över platsen så att andra undviker den?",
          "Does one group take over the place so that others avoid it?"),
     ]),
    ("tydlighet", "Tydlighet", "Clarity",
     "Hur lätt det är att förstå platsen och hitta rätt.",
     "How easy it is to understand the place and find the way.", [
         ("Orientering", "Orientation",
          "Är det lätt att förstå var man är och hur man tar sig vidare?",
          "Is it easy to understand where you are and how to go on?"),
         ("Gränser mellan privat och offentligt", "Private and public boundaries",
          "Syns det vem som äger och ansvarar för ytorna?",
          "Is it clear who owns and looks after each area?"),
         ("Entréer och stråk", "Entrances and paths",
          "Är entréer och gångstråk tydliga och logiskt placerade?",
          "Are entrances and footpaths clear and logically placed?"),
     ]),
    ("social-kontroll", "Social kontroll", "Natural surveillance",
     "Om andra människor kan se och höra det som händer.",
     "Whether other people can see and hear what happens.", [
         ("Insyn från bostäder", "Overlooked by homes",
          "Har bostäder fönster och balkonger som vetter mot platsen?",
          "Do homes have windows and balconies facing the place?"),
         ("Förbipasserande", "Passers-by",
          "Rör sig människor här under olika tider av dygnet?",
          "Do people pass by here at different times of the day?"),
         ("Möjlighet att få hjälp", "Getting help",
          "Finns det någon att vända sig till, eller ett ställe att ta sig till, om något händer?",
          "Is there someone to turn to, or somewhere to go, if something happens?"),
     ]),
    ("belysning", "Belysning", "Lighting",
     "Hur platsen är belyst när det är mörkt.",
     "How the place is lit when it is dark.", [
         ("Ljusnivå", "Light level",
          "Är det tillräckligt ljust att se ansikten på några meters avstånd?",
          "Is it light enough to see faces a few metres away?"),
         ("Jämnhet och bländning", "Evenness and glare",
          "Finns det mörka fläckar mellan lamporna, eller ljus som bländar?",
          "Are there dark patches between the lamps, or lights that dazzle?"),
         ("Belysta omgivningar", "Lit surroundings",
          "Lyses buskage, väggar och kanter upp, inte bara marken?",
          "Are bushes, walls and edges lit, not only the ground?"),
         ("Trasiga armaturer", "Broken lamps",
          "Fungerar alla lampor? Är några släckta eller skadade?",
          "Do all lamps work? Are any out or damaged?"),
     ]),
    ("skalskydd", "Skalskydd", "Perimeter security",
     "Hur byggnader, förråd och cykelställ skyddas mot intrång och stöld.",
     "How buildings, stores and bike racks are protected against break-ins and theft.", [
         ("Dörrar och lås", "Doors and locks",
          "Är portar, källar- och förrådsdörrar hela och låsta?",
          "Are entrance, basement and storage doors intact and locked?"),
         ("Klätter- och gömställen", "Climbing and hiding spots",
          "Finns det sådant som gör det lätt att ta sig in eller gömma sig nära entréer?",
          "Is there anything that makes it easy to get in or hide near entrances?"),
         ("Cykel- och fordonsparkering", "Bike and car parking",
          "Kan cyklar låsas fast i ramen? Är parkeringen överblickbar?",
          "Can bikes be locked by the frame? Can the parking be overseen?"),
     ]),
    ("forvaltning", "Förvaltning", "Maintenance",
     "Hur platsen sköts: städning, klotter, skador och reparationer.",
     "How the place is looked after: cleaning, graffiti, damage and repairs.", [
         ("Nedskräpning", "Litter",
          "Finns det skräp, fimpar eller överfulla papperskorgar?",
          "Is there litter, cigarette ends or overflowing bins?"),
         ("Klotter och skadegörelse", "Graffiti and vandalism",
          "Finns det klotter eller skador, och hur gamla ser de ut att vara?",
          "Is there graffiti or damage, and how old does it look?"),
         ("Skötsel av grönska", "Care of greenery",
          "Är buskar och träd beskurna så att de inte skymmer sikt eller ljus?",
          "Are bushes and trees pruned so they do not block sight or light?"),
         ("Snabb åtgärd", "Quick repair",
          "Syns det att fel rättas snabbt, till exempel nya lampor och lagade bänkar?",
          "Can you tell that faults are fixed quickly, such as new bulbs and mended benches?"),
     ]),
    ("information", "Information", "Information",
     "Skyltar, kartor och kontaktuppgifter på platsen.",
     "Signs, maps and contact details at the place.", [
         ("Skyltning och vägvisning", "Signs and wayfinding",
          "Finns det skyltar och kartor som visar vägen till viktiga mål?",
          "Are there signs and maps that show the way to important places?"),
         ("Kontakt och felanmälan", "Contact and fault reporting",
          "Står det vem man kontaktar om något är trasigt eller otryggt?",
          "Does it say whom to contact if something is broken or feels unsafe?"),
         ("Information om verksamheter", "Information on activities",
          "Finns det information om vad som händer på platsen och när?",
          "Is there information on what happens at the place and when?"),
     ]),
]


def forwards(apps, schema_editor):
    Aspect = apps.get_model("analysis", "Aspect")
    Factor = apps.get_model("analysis", "Factor")
    ScoreThresholds = apps.get_model("analysis", "ScoreThresholds")
    for position, (key, name, name_en, description, description_en, factors) in enumerate(ASPECTS):
        aspect, _created = Aspect.objects.update_or_create(
            organisation=None, key=key,
            defaults={"name": name, "name_en": name_en, "description": description,
                      "description_en": description_en, "position": position, "active": True},
        )
        for factor_position, (fname, fname_en, guidance, guidance_en) in enumerate(factors):
            Factor.objects.update_or_create(
                aspect=aspect, name=fname,
                defaults={"name_en": fname_en, "guidance": guidance, "guidance_en": guidance_en,
                          "position": factor_position, "active": True},
            )
    if not ScoreThresholds.objects.filter(organisation__isnull=True).exists():
        ScoreThresholds.objects.create(organisation=None, red_below=8, green_from=14)


def backwards(apps, schema_editor):
    Aspect = apps.get_model("analysis", "Aspect")
    Factor = apps.get_model("analysis", "Factor")
    ScoreThresholds = apps.get_model("analysis", "ScoreThresholds")
    keys = [row[0] for row in ASPECTS]
    Factor.objects.filter(aspect__organisation__isnull=True, aspect__key__in=keys, scores__isnull=True).delete()
    Aspect.objects.filter(organisation__isnull=True, key__in=keys, factors__isnull=True).delete()
    ScoreThresholds.objects.filter(organisation__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [("analysis", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
