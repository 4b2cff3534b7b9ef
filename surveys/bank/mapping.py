"""The mapping survey (kartläggning, SPEC §5.1, step 1): pin places that feel unsafe, safe or
attractive, each with why and when."""
from __future__ import annotations

from surveys.indicator import PLACES_MAP_KEY

from .base import OptionSpec, QuestionSpec, SurveyTemplate
from .common import anything_else, background, map_category, map_config

O = OptionSpec

MAPPING = SurveyTemplate(
    kind="mapping",
    title="Kartläggning av platsen",
    title_en="Mapping the place",
    intro=("Hjälp oss att se platsen med dina ögon. Markera på kartan var du känner dig otrygg, var du känner "
           "dig trygg och vad du tycker är trivsamt, och berätta kort varför och när. Du svarar anonymt."),
    intro_en=("Help us see the place through your eyes. Mark on the map where you feel unsafe, where you feel "
              "safe and what you find pleasant, and say briefly why and when. You answer anonymously."),
    questions=(
        QuestionSpec(
            PLACES_MAP_KEY, "map", "Markera platser som du upplever som otrygga, trygga eller attraktiva.",
            "Mark places that you find unsafe, safe or attractive.", page=1, required=True,
            help_text=("Välj en punkt, en sträcka eller ett område. Ange om platsen känns otrygg, trygg eller "
                       "attraktiv, skriv kort varför och säg när: dag, kväll eller natt."),
            help_text_en=("Choose a point, a route or an area. Say whether the place feels unsafe, safe or "
                          "attractive, write briefly why and say when: day, evening or night."),
            config=map_config(
                map_category("unsafe", "Otrygg", "Unsafe"),
                map_category("safe", "Trygg", "Safe"),
                map_category("attractive", "Attraktiv", "Attractive"),
                max_features=10,
            )),
        QuestionSpec(
            "visit_frequency", "single", "Hur ofta är du här?", "How often are you here?", page=2,
            options=(
                O("daily", "Varje dag eller nästan", "Every day or almost"),
                O("weekly", "Någon gång i veckan", "Once or a few times a week"),
                O("monthly", "Någon gång i månaden", "Once or a few times a month"),
                O("rarely", "Mer sällan", "Less often"),
            )),
        *background(2),
        anything_else(2),
    ),
)
