"""The safety survey (trygghetsenkät, SPEC §5.1, step 2); the follow-up (step 5) asks the same.

`safe_evening` can be compared with the national indicator Brå reports (the share who feel rather or
very unsafe going out alone late in the evening in their own area, see surveys.indicator); the
wording here is our own.
"""
from __future__ import annotations

from surveys.indicator import (
    ATTRACTIVE_KEY,
    AVOID_MAP_KEY,
    AVOIDS_KEY,
    IMPROVE_KEY,
    PROBLEMS_KEY,
    SAFE_DAY_KEY,
    SAFE_EVENING_KEY,
    UNSAFE_CATEGORY,
    UNSAFE_MAP_KEY,
    VISIT_KEY,
    WORRY_KEY,
)

from .base import ConditionSpec, OptionSpec, QuestionSpec, SurveyTemplate
from .common import anything_else, background, map_category, map_config
from .options import DONT_KNOW

O = OptionSpec

_FEELING = (
    O("very_safe", "Mycket trygg", "Very safe"),
    O("rather_safe", "Ganska trygg", "Fairly safe"),
    O("rather_unsafe", "Ganska otrygg", "Fairly unsafe"),
    O("very_unsafe", "Mycket otrygg", "Very unsafe"),
)
SAFE_DAY_OPTIONS = (*_FEELING, DONT_KNOW)
SAFE_EVENING_OPTIONS = (
    *_FEELING,
    O("not_out_unsafe", "Jag går inte ut ensam sent på kvällen, eftersom jag känner mig otrygg",
      "I don't go out alone late in the evening, because I feel unsafe"),
    O("not_out_other", "Jag går inte ut ensam sent på kvällen, av andra skäl",
      "I don't go out alone late in the evening, for other reasons"),
    DONT_KNOW,
)
AVOIDS_YES = ("yes_often", "yes_sometimes")

PROBLEM_OPTIONS = (
    O("litter", "Nedskräpning", "Litter"),
    O("graffiti", "Klotter", "Graffiti"),
    O("vandalism", "Skadegörelse", "Vandalism"),
    O("poor_lighting", "Dålig belysning", "Poor lighting"),
    O("drug_dealing", "Försäljning av narkotika", "Drug dealing"),
    O("disturbances", "Bråk, stök eller störande beteende", "Fights, rowdiness or disturbing behaviour"),
    O("groups", "Grupper som gör att man känner sig otrygg", "Groups that make people feel unsafe"),
    O("traffic", "Trafiken, till exempel fortkörning eller farliga korsningar",
      "Traffic, for example speeding or dangerous crossings"),
    O("none", "Inget av detta", "None of these"),
)

SAFETY = SurveyTemplate(
    kind="safety",
    title="Trygghetsenkät",
    title_en="Safety survey",
    intro=("Vi vill veta hur du upplever platsen: när du känner dig trygg eller otrygg, vad som stör och vad "
           "som skulle göra platsen bättre. Enkäten tar ungefär fem minuter. Du svarar anonymt och svaren "
           "redovisas bara sammanställda."),
    intro_en=("We would like to know how you experience the place: when you feel safe or unsafe, what bothers "
              "you and what would make the place better. The survey takes about five minutes. You answer "
              "anonymously and the answers are only reported together."),
    questions=(
        # Page 1: how safe one feels.
        QuestionSpec(
            SAFE_DAY_KEY, "single", "Hur trygg känner du dig när du är här i området på dagen?",
            "How safe do you feel when you are here in the area during the day?", page=1, required=True,
            options=SAFE_DAY_OPTIONS),
        QuestionSpec(
            SAFE_EVENING_KEY, "single",
            "Tänk dig att du går ut ensam sent en kväll här i området. Hur trygg skulle du känna dig?",
            "Imagine going out alone late one evening here in the area. How safe would you feel?",
            page=1, required=True, options=SAFE_EVENING_OPTIONS),
        QuestionSpec(
            WORRY_KEY, "multiple", "Oroar du dig för att själv utsättas för något av detta här i området?",
            "Do you worry about being exposed to any of the following yourself here in the area?", page=1,
            help_text="Välj alla som stämmer.", help_text_en="Choose all that apply.",
            options=(
                O("theft", "Stöld, till exempel av cykel eller ur väska", "Theft, for example of a bike or from a bag"),
                O("robbery", "Rån", "Robbery"),
                O("assault", "Misshandel eller våld", "Assault or violence"),
                O("harassment", "Trakasserier, hot eller ofredande", "Harassment, threats or molestation"),
                O("sexual_offence", "Sexuellt ofredande eller sexualbrott", "Sexual harassment or sexual offences"),
                O("vehicle", "Skadegörelse på eller inbrott i fordon", "Damage to or break-ins in vehicles"),
                O("none", "Jag oroar mig inte för något av detta", "I don't worry about any of these"),
            )),
        QuestionSpec(
            AVOIDS_KEY, "single",
            "Händer det att du undviker platsen, eller vissa vägar här, för att du känner dig otrygg?",
            "Do you ever avoid the place, or certain routes here, because you feel unsafe?", page=1,
            options=(
                O("yes_often", "Ja, ofta", "Yes, often"),
                O("yes_sometimes", "Ja, ibland", "Yes, sometimes"),
                O("no", "Nej", "No"),
            )),
        QuestionSpec(
            AVOID_MAP_KEY, "map", "Markera på kartan var du brukar undvika att gå.",
            "Mark on the map where you tend to avoid going.", page=1,
            help_text="Du kan markera en punkt, en sträcka eller ett område, och kort skriva varför.",
            help_text_en="You can mark a point, a route or an area, and briefly say why.",
            config=map_config(map_category(UNSAFE_CATEGORY, "Undviker", "Avoid")),
            condition=ConditionSpec(AVOIDS_KEY, AVOIDS_YES)),
        # Page 2: the place.
        QuestionSpec(
            PROBLEMS_KEY, "multiple", "Upplever du något av följande som ett problem här?",
            "Do you see any of the following as a problem here?", page=2,
            help_text="Välj alla som stämmer.", help_text_en="Choose all that apply.", options=PROBLEM_OPTIONS),
        QuestionSpec(
            UNSAFE_MAP_KEY, "map", "Finns det platser här där du känner dig otrygg? Markera dem på kartan.",
            "Are there places here where you feel unsafe? Mark them on the map.", page=2,
            help_text="Berätta kort varför och när på dygnet.",
            help_text_en="Say briefly why and at what time of day.",
            config=map_config(
                map_category(UNSAFE_CATEGORY, "Otrygg plats", "Unsafe place"),
                map_category("traffic", "Farlig trafik", "Dangerous traffic"),
            )),
        QuestionSpec(
            IMPROVE_KEY, "multiple", "Vad skulle göra mest för att du ska känna dig tryggare här?",
            "What would do the most to make you feel safer here?", page=2,
            help_text="Välj högst tre.", help_text_en="Choose at most three.",
            config={"max_choices": 3},
            options=(
                O("lighting", "Bättre belysning", "Better lighting"),
                O("cleaning", "Mer städning och mindre klotter", "More cleaning and less graffiti"),
                O("vegetation", "Lägre buskar och öppnare siktlinjer", "Lower bushes and clearer sight lines"),
                O("people", "Fler människor i rörelse, även på kvällen", "More people around, also in the evening"),
                O("activities", "Fler aktiviteter och mötesplatser", "More activities and meeting places"),
                O("shops_open", "Butiker och caféer som har öppet längre", "Shops and cafés open longer"),
                O("police", "Mer synlig polis", "More visible police"),
                O("guards", "Ordningsvakter eller trygghetsvärdar", "Security guards or safety hosts"),
                O("cameras", "Kamerabevakning", "Camera surveillance"),
                O("traffic_safety", "Säkrare trafikmiljö", "Safer traffic environment"),
            )),
        QuestionSpec(
            ATTRACTIVE_KEY, "scale", "Hur trivsam och attraktiv tycker du att platsen är?",
            "How pleasant and attractive do you find the place?", page=2,
            config={"low": "Inte alls", "low_en": "Not at all", "high": "Mycket", "high_en": "Very"}),
        QuestionSpec(
            VISIT_KEY, "multiple", "Varför brukar du vara här?", "Why are you usually here?", page=2,
            help_text="Välj alla som stämmer.", help_text_en="Choose all that apply.",
            options=(
                O("live", "Jag bor här", "I live here"),
                O("work_school", "Arbete eller skola", "Work or school"),
                O("shopping", "Handla", "Shopping"),
                O("services", "Service, till exempel vård, apotek eller bibliotek",
                  "Services, for example health care, pharmacy or library"),
                O("food", "Restaurang eller café", "Restaurant or café"),
                O("leisure", "Fritid eller träffa vänner", "Leisure or meeting friends"),
                O("passing", "Jag passerar på väg någon annanstans", "I pass through on my way somewhere else"),
                O("other", "Annat", "Other"),
            )),
        # Page 3: about you.
        *background(3),
        anything_else(3),
    ),
)

FOLLOWUP = SurveyTemplate(
    kind="followup",
    title="Uppföljande trygghetsenkät",
    title_en="Follow-up safety survey",
    intro=("För en tid sedan frågade vi hur du upplever platsen. Nu vill vi veta hur det är i dag, så att vi kan "
           "se vad som har blivit bättre. Du svarar anonymt och svaren redovisas bara sammanställda."),
    intro_en=("Some time ago we asked how you experience the place. Now we would like to know how it is today, "
              "so we can see what has improved. You answer anonymously and the answers are only reported "
              "together."),
    questions=SAFETY.questions,
)
