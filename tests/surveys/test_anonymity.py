"""Anonymity by construction (SPEC §5.4): a response and its answers can hold no link to an
invitation, a user or a client, and no time finer than the day."""
from __future__ import annotations

import re

import pytest
from django.db import models

from surveys.models import Answer, Option, Question, Response, Survey

ALLOWED_RELATIONS = {Survey, Question, Option, Response, Answer}
FORBIDDEN_NAME = re.compile(r"ip|agent|user|invitation|email|mail|time|addr|session|token|cookie|device", re.IGNORECASE)
# "time_of_day" is the respondent's answer ("when is it unsafe?"), not when they answered.
ALLOWED_NAMES = {"time_of_day"}


@pytest.mark.parametrize("model", [Response, Answer], ids=lambda m: m.__name__)
def test_no_relation_but_the_survey_structure(model):
    for field in model._meta.get_fields():
        if field.is_relation:
            assert field.related_model in ALLOWED_RELATIONS, f"{model.__name__}.{field.name} → {field.related_model}"


@pytest.mark.parametrize("model", [Response, Answer], ids=lambda m: m.__name__)
def test_no_identifying_field_and_no_timestamp(model):
    for field in model._meta.get_fields():
        name = getattr(field, "attname", None) or field.name
        if name in ALLOWED_NAMES:
            continue
        assert not FORBIDDEN_NAME.search(name), f"{model.__name__}.{name} looks identifying"
        assert not isinstance(field, (models.DateTimeField, models.TimeField)), f"{model.__name__}.{name}"
        assert not isinstance(field, models.GenericIPAddressField), f"{model.__name__}.{name}"


def test_the_day_only_and_a_random_key():
    submitted_on = Response._meta.get_field("submitted_on")
    assert type(submitted_on) is models.DateField
    assert isinstance(Response._meta.pk, models.UUIDField)


def test_invitation_points_nowhere_near_a_response():
    from surveys.models import Invitation

    for field in Invitation._meta.get_fields():
        if field.is_relation:
            assert field.related_model not in {Response, Answer}, field.name
