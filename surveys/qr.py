"""QR codes of a survey's public link (SPEC §5.2), drawn by segno: SVG for the page, the poster and
download, PNG for download (office programs and print shops).

Error correction level M survives a poster that is a little creased or dirty; the four-module quiet
zone is the minimum the standard asks for. Dark modules on white, whatever the page behind it.
"""
from __future__ import annotations

import io

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ERROR_LEVEL = "m"
BORDER = 4
DARK = "#000000"
LIGHT = "#ffffff"


def _code(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def qr_title(url: str) -> str:
    return _("QR code for the survey link %(url)s") % {"url": url}


def qr_svg(url: str, *, title: str | None = None, scale: int = 8, inline: bool = False,
           css_class: str = "qr-code") -> str:
    """The code as SVG text with a <title> (what screen readers and the download show).

    `inline=True` gives markup to put in a page or a PDF: no XML declaration, a viewBox instead of a
    fixed size (CSS sizes it) and role="img" with an accessible name.
    """
    title = title or qr_title(url)
    out = io.BytesIO()
    _code(url).save(out, kind="svg", xmldecl=not inline, svgns=True, title=title, svgclass=css_class,
                    lineclass=None, scale=scale, border=BORDER, dark=DARK, light=LIGHT, omitsize=inline,
                    encoding="utf-8")
    svg = out.getvalue().decode("utf-8")
    if inline:
        svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
    return svg


def qr_svg_inline(url: str, *, title: str | None = None, css_class: str = "qr-code") -> SafeString:
    # segno escapes the title itself; the URL comes from our own reverse() and a random token.
    return mark_safe(qr_svg(url, title=title, scale=1, inline=True, css_class=css_class))


def qr_png(url: str, *, scale: int = 16) -> bytes:
    """The code as PNG: 16 pixels a module is about 7 cm wide at 300 dpi for a typical link."""
    out = io.BytesIO()
    _code(url).save(out, kind="png", scale=scale, border=BORDER, dark=DARK, light=LIGHT)
    return out.getvalue()
