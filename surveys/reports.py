"""The survey poster (SPEC §5.2, §9): an A4 PDF with the survey's title, a few lines about it, a big
QR code of the public link, the link in text, the open dates and a line on anonymity.

Requested from the distribution page with `params={"survey_id": …}`; the id is resolved inside the
report's project when the worker renders it (the job re-checks the author's access first). Requested
from the reports page without a survey, it shows the project's latest survey with a public link.
`register()` is called from surveys/registrations.py.
"""
from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _

from trygga_platser.reports.registry import ReportKind, register
from trygga_platser.tenancy.access import Perm, project_child_get

from .models import Survey
from .qr import qr_svg_inline
from .services.invitations import minutes_estimate, public_url

POSTER_INTRO_WORDS = 60


def poster_survey(report, project) -> Survey | None:
    survey_id = (report.params or {}).get("survey_id")
    surveys = Survey.objects.filter(project=project, public_link_enabled=True)
    if survey_id:
        try:
            return project_child_get(surveys, project=project, pk=survey_id)
        except Http404:
            return None
    return surveys.order_by("-published_at", "-created_at").first()


def _context(report, project) -> dict[str, Any]:
    survey = poster_survey(report, project)
    if survey is None:
        return {"survey": None}
    url = public_url(survey)
    return {
        "survey": survey,
        "title": survey.localized_title(),
        "intro": Truncator(survey.localized_intro()).words(POSTER_INTRO_WORDS),
        "url": url,
        "qr_svg": qr_svg_inline(url, css_class="poster-qr"),
        "minutes": minutes_estimate(survey.questions.count()),
    }


def _filename(report, project) -> str:
    survey = poster_survey(report, project)
    return f"affisch-{slugify(survey.title if survey else project.name)[:60]}-{report.pk}.pdf"


SURVEY_POSTER = ReportKind(
    key="survey_poster",
    title=_("Survey poster with QR code"),
    template="surveys/pdf/poster.html",
    context=_context,
    perm=Perm.EDIT,
    filename=_filename,
)


def register_report_kinds() -> None:
    register(SURVEY_POSTER)
