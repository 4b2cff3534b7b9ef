"""factory_boy factories for the surveys app (shared by every surveys test module).

`SurveyFactory` makes an empty draft survey; build questions with `QuestionFactory` /
`OptionFactory`, or a full survey from the question bank with
`surveys.services.builder.survey_create(...)`. `published()` gives an open survey.
"""
from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from surveys.models import Answer, Invitation, Option, Question, Response, Survey
from trygga_platser.tenancy.models import StakeholderCategory

from ..factories import ProjectFactory


class SurveyFactory(DjangoModelFactory):
    class Meta:
        model = Survey

    project = factory.SubFactory(ProjectFactory)
    kind = Survey.Kind.SAFETY
    title = factory.Sequence(lambda n: f"Trygghetsenkät {n}")
    title_en = factory.Sequence(lambda n: f"Safety survey {n}")
    intro = "Vi vill veta hur du upplever platsen."

    class Params:
        # SurveyFactory(published=True): published yesterday, open from today for four weeks.
        published = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
            opens_on=factory.LazyFunction(lambda: timezone.localdate()),
            closes_on=factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=28)),
        )
        closed = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=60)),
            opens_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60)),
            closes_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30)),
        )


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    kind = Question.Kind.SINGLE
    key = factory.Sequence(lambda n: f"q{n}")
    text = factory.Sequence(lambda n: f"Fråga {n}?")
    text_en = factory.Sequence(lambda n: f"Question {n}?")
    page = 1
    position = factory.Sequence(lambda n: n)


class OptionFactory(DjangoModelFactory):
    class Meta:
        model = Option

    question = factory.SubFactory(QuestionFactory)
    value = factory.Sequence(lambda n: f"v{n}")
    label = factory.Sequence(lambda n: f"Alternativ {n}")
    label_en = factory.Sequence(lambda n: f"Option {n}")
    position = factory.Sequence(lambda n: n)
    is_missing = False


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    survey = factory.SubFactory(SurveyFactory)
    email = factory.Sequence(lambda n: f"respondent{n}@example.org")
    category = StakeholderCategory.RESIDENT


class ResponseFactory(DjangoModelFactory):
    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    submitted_on = factory.LazyFunction(timezone.localdate)
    respondent_category = ""


class AnswerFactory(DjangoModelFactory):
    """An answer; pass `option=` for a choice, `number=`, `text=`, or `geometry=` (+ lat/lon) for a map.
    The response defaults to a new one in the question's survey."""

    class Meta:
        model = Answer

    question = factory.SubFactory(QuestionFactory)
    response = factory.LazyAttribute(lambda a: ResponseFactory(survey=a.question.survey))
