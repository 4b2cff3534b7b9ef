"""HTML → PDF with WeasyPrint, offline: the only resources a report may load are our static files.

The PDF is tagged PDF/UA-1 (SPEC §9, accessible reports). The URL fetcher refuses file://, http(s)
to anywhere but our own pseudo-origin, data: and every other scheme, so a report can neither leak
local files nor make the worker call the network.
"""
from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Never resolved over the network: the fetcher maps it to files on disk and nothing else.
REPORT_BASE_URL = "https://report.trygga-platser.invalid/"
PDF_VARIANT = "pdf/ua-1"


class RefusedURL(ValueError):
    """A report tried to load something other than one of the app's static files."""


# Report kinds hand in the bytes of pictures they embed (photos of observations, inspection points)
# as `context["pdf_resources"] = {name: (bytes, mimetype)}`, read after the job re-checked access;
# the template refers to them as "resources/<name>". The fetcher serves them from that dict only.
RESOURCE_PREFIX = "/resources/"


class StaticOnlyURLFetcher(URLFetcher):
    def __init__(self, resources: dict[str, tuple[bytes, str]] | None = None) -> None:
        self._resources = dict(resources or {})
        super().__init__(timeout=1, allowed_protocols=("https",), allow_redirects=False)
        origin = urlsplit(REPORT_BASE_URL)
        self._origin = (origin.scheme, origin.netloc)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:  # noqa: ARG002 - WeasyPrint's signature
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) == self._origin and parts.path.startswith(RESOURCE_PREFIX):
            name = unquote(parts.path[len(RESOURCE_PREFIX):])
            if name not in self._resources:
                raise RefusedURL(f"No resource {name!r} was handed to this report.")
            body, mimetype = self._resources[name]
            return URLFetcherResponse(url, body=body, headers={"Content-Type": mimetype})
        if (parts.scheme, parts.netloc) != self._origin or not parts.path.startswith(settings.STATIC_URL):
            logger.warning("report.fetch_refused", extra={"url": url[:200]})
            raise RefusedURL(f"Refused to fetch {url[:200]!r}: reports may only load the app's static files.")
        relative = unquote(parts.path[len(settings.STATIC_URL):])
        # An absolute remainder ("/static//etc/passwd") would make `STATIC_ROOT / relative` point
        # anywhere on disk (pathlib drops the left side), so refuse it before any lookup.
        unsafe = relative.startswith("/") or "\\" in relative or "\x00" in relative or ".." in relative.split("/")
        if not relative or unsafe:
            raise RefusedURL(f"Refused to fetch {url[:200]!r}.")
        path = finders.find(relative)
        if path is None and settings.STATIC_ROOT:
            root = Path(settings.STATIC_ROOT).resolve()
            candidate = (root / relative).resolve()
            path = str(candidate) if candidate.is_relative_to(root) and candidate.is_file() else None
        if path is None:
            raise RefusedURL(f"No static file {relative!r}.")
        with open(path, "rb") as handle:
            body = handle.read()
        mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": mimetype})


def html_to_pdf(html: str, resources: dict[str, tuple[bytes, str]] | None = None) -> bytes:
    fetcher = StaticOnlyURLFetcher(resources)
    return HTML(string=html, base_url=REPORT_BASE_URL, url_fetcher=fetcher).write_pdf(
        pdf_variant=PDF_VARIANT
    )


def template_to_pdf(template_name: str, context: dict) -> bytes:
    resources = context.pop("pdf_resources", None) or {}
    return html_to_pdf(render_to_string(template_name, context), resources)
