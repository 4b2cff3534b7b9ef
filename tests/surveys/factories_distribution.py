"""Helpers for the distribution tests (publishing, invitations, reminders, QR, poster)."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from surveys.models import Survey

from .factories import QuestionFactory, SurveyFactory


def survey_in(project, *, state: str = "open", questions: int = 1, **fields) -> Survey:
    """A survey of `project` in `state` (draft, scheduled, open, closed) with `questions` questions."""
    today = timezone.localdate()
    dates = {
        "draft": {},
        "scheduled": {"published_at": timezone.now(), "opens_on": today + timedelta(days=3),
                      "closes_on": today + timedelta(days=30)},
        "open": {"published_at": timezone.now() - timedelta(days=1), "opens_on": today,
                 "closes_on": today + timedelta(days=28)},
        "closed": {"published_at": timezone.now() - timedelta(days=60), "opens_on": today - timedelta(days=60),
                   "closes_on": today - timedelta(days=30)},
    }[state]
    survey = SurveyFactory(project=project, **{**dates, **fields})
    for _n in range(questions):
        QuestionFactory(survey=survey)
    assert survey.state() == state
    return survey


def distribution_url(name: str, survey: Survey, **extra) -> str:
    from django.urls import reverse

    return reverse(f"surveys:{name}", kwargs={"project_id": survey.project_id, "survey_id": survey.pk, **extra})
