"""The Nulägesanalys (current-state analysis) report kind (SPEC §6.4, §9).

County boards may request and download it (Perm.VIEW), so it holds no personal data whoever
generated it: the cover names the municipality, not a person; inspectors, observation texts, point
notes and findings and survey free-text answers are left out. The coordinator's own summary and
conclusions are in it: they are the analysis the report exists to carry. The maps are drawn from
the project's polygon and points (no tiles); photos of inspection points travel as resources.
`register_current_state()` is called from analysis/registrations.py.
"""
from __future__ import annotations

import io
import logging
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from trygga_platser.reports import rendering
from trygga_platser.reports.registry import ReportKind, register
from trygga_platser.tenancy.access import Perm

from .maps import colour_labels, current_state_map_svg, current_state_pictures
from .models import InspectionPoint
from .selectors.current_state import current_state_get

logger = logging.getLogger(__name__)

PDF_PHOTO_EDGE = 900  # pixels: sharp at the size printed in the appendix, without a huge PDF
PDF_WIDTH = 620  # px of the pictures: the A4 text width at WeasyPrint's 96 dpi


def _pdf_photo(point: InspectionPoint) -> bytes:
    with point.photo.open("rb") as handle, Image.open(handle) as image:
        image = image.convert("RGB")
        image.thumbnail((PDF_PHOTO_EDGE, PDF_PHOTO_EDGE))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _photos(state) -> dict[str, tuple[bytes, str]]:
    """The inspection points' photos as report resources; `point.pdf_photo_src` names each. Runs
    after the job re-checked the author's access. One query."""
    with_photo = [p.pk for p in state.inspection.points if p.has_photo]
    resources: dict[str, tuple[bytes, str]] = {}
    for point in InspectionPoint.objects.filter(pk__in=with_photo).only("pk", "photo", "inspection_id"):
        try:
            data = _pdf_photo(point)
        except (OSError, UnidentifiedImageError, ValueError):
            # A photo missing from storage must not cost the whole report; the appendix says so.
            logger.warning("report.photo_missing", extra={"inspection_point_id": point.pk})
            continue
        name = f"inspection-point-{point.pk}.jpg"
        resources[name] = (data, "image/jpeg")
        state.inspection.photo_src[point.pk] = rendering.RESOURCE_PREFIX.lstrip("/") + name
    return resources


def current_state_context(report, project) -> dict[str, Any]:
    state = current_state_get(project=project)
    resources = _photos(state)
    colour_words = colour_labels()
    appendix = [{"point": p, "level": colour_words.get(p.colour or "", ""),
                 "photo": state.inspection.photo_src.get(p.pk)} for p in state.inspection.points]
    pictures = current_state_pictures(state, prefix="pdf", width=PDF_WIDTH, map_height=460, map_legend=True)
    inspection_layers = [layer for layer in pictures["layers"] if layer.key == "inspection" and layer.count]
    return {
        "state": state,
        "inspection_map_svg": current_state_map_svg(state, inspection_layers, svg_id="pdf-inspection-map",
                                                    width=PDF_WIDTH, height=400, legend=False)
        if inspection_layers else "",
        "today": timezone.localdate(),
        "colour_words": colour_words,
        "appendix": appendix,
        "pdf_resources": resources,
        **pictures,
    }


def _filename(report, project) -> str:
    return f"nulagesanalys-{slugify(project.name)}-{report.pk}.pdf"


CURRENT_STATE_REPORT = ReportKind(
    key="current_state",
    title=_("Current-state analysis"),
    template="analysis/pdf/current_state.html",
    context=current_state_context,
    perm=Perm.VIEW,
    filename=_filename,
)


def register_current_state_report() -> None:
    register(CURRENT_STATE_REPORT)
