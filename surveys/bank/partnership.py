"""The partnership survey (samverkansenkät): how the members see their partnership. Scale questions
(1 = do not agree at all, 5 = agree completely) on goals, roles, meetings, information, commitment,
trust and results; asked again later to see how the partnership develops."""
from __future__ import annotations

from .base import QuestionSpec, SurveyTemplate
from .common import anything_else, background

AGREE = {"low": "Instämmer inte alls", "low_en": "Do not agree at all",
         "high": "Instämmer helt", "high_en": "Agree completely"}


def _agree(key: str, text: str, text_en: str, page: int) -> QuestionSpec:
    return QuestionSpec(key, "scale", text, text_en, page=page, config=dict(AGREE))


PARTNERSHIP = SurveyTemplate(
    kind="partnership",
    title="Samverkansenkät",
    title_en="Partnership survey",
    intro=("Hur fungerar vår samverkan? Dina svar hjälper oss att se vad som går bra och vad vi behöver "
           "förbättra. Du svarar anonymt och svaren redovisas bara sammanställda."),
    intro_en=("How does our partnership work? Your answers help us see what goes well and what we need to "
              "improve. You answer anonymously and the answers are only reported together."),
    questions=(
        # Page 1: goals and roles.
        _agree("goals_clear", "Målen för vårt gemensamma arbete är tydliga för mig.",
               "The goals of our joint work are clear to me.", 1),
        _agree("goals_shared", "Vi i samverkan är överens om vad vi vill uppnå.",
               "We in the partnership agree on what we want to achieve.", 1),
        _agree("roles_clear", "Det är tydligt vem som ansvarar för vad.",
               "It is clear who is responsible for what.", 1),
        _agree("own_role", "Jag vet vad som förväntas av mig och min organisation.",
               "I know what is expected of me and my organisation.", 1),
        # Page 2: how we work together.
        _agree("meetings_useful", "Våra möten är väl förberedda och leder framåt.",
               "Our meetings are well prepared and move things forward.", 2),
        _agree("information_flow", "Jag får den information jag behöver i tid.",
               "I get the information I need in time.", 2),
        _agree("commitment", "Alla organisationer i samverkan bidrar med tid och resurser.",
               "All organisations in the partnership contribute time and resources.", 2),
        _agree("own_mandate", "Jag har mandat från min organisation att fatta beslut i arbetet.",
               "I have a mandate from my organisation to make decisions in the work.", 2),
        _agree("trust", "Vi har förtroende för varandra och kan tala öppet om problem.",
               "We trust each other and can talk openly about problems.", 2),
        # Page 3: results.
        _agree("results", "Vårt arbete leder till märkbara förbättringar på platsen.",
               "Our work leads to noticeable improvements at the place.", 3),
        _agree("worth_it", "Samverkan är värd den tid jag lägger på den.",
               "The partnership is worth the time I spend on it.", 3),
        *background(3, with_age_gender=False),
        anything_else(3),
    ),
)
