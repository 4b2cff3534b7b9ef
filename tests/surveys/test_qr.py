"""The QR code of a survey's public link (SPEC §5.2): SVG with a title, PNG, access-checked downloads."""
from __future__ import annotations

import io
from xml.etree import ElementTree

import pytest
from PIL import Image

from surveys.qr import qr_png, qr_svg, qr_svg_inline, qr_title
from surveys.services.invitations import public_url

from .factories_distribution import distribution_url, survey_in

pytestmark = pytest.mark.django_db

SVG_NS = "{http://www.w3.org/2000/svg}"
URL = "https://trygga-platser.example/e/abc123/"


def test_the_svg_is_well_formed_with_a_title():
    root = ElementTree.fromstring(qr_svg(URL).encode())
    assert root.tag == f"{SVG_NS}svg"
    assert root.find(f"{SVG_NS}title").text == qr_title(URL)


def test_the_inline_svg_is_an_image_with_a_name_and_scales():
    svg = str(qr_svg_inline(URL, title="Enkät <Avesta>"))
    assert not svg.startswith("<?xml")
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "Enkät <Avesta>"
    assert root.get("viewBox") and root.get("width") is None
    assert "style=" not in svg  # CSP: no inline styles


def test_the_png_opens_as_a_square_image():
    with Image.open(io.BytesIO(qr_png(URL))) as image:
        image.verify()
    with Image.open(io.BytesIO(qr_png(URL))) as image:
        assert image.format == "PNG" and image.width == image.height and image.width >= 300


@pytest.mark.parametrize(("name", "content_type", "extension"), [
    ("qr_svg", "image/svg+xml", ".svg"), ("qr_png", "image/png", ".png")])
def test_downloads(world, client_for, name, content_type, extension):
    survey = survey_in(world.project, state="open", title="Trygghetsenkät Avesta torg")
    response = client_for(world.project_coordinator).get(distribution_url(name, survey))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"].startswith("attachment;") and extension in response["Content-Disposition"]
    if name == "qr_svg":
        assert public_url(survey) in response.content.decode()


@pytest.mark.parametrize("name", ["qr_svg", "qr_png"])
@pytest.mark.parametrize(("role", "status"), [
    ("project_coordinator", 200), ("coach", 200), ("member", 200), ("county_officer", 200),
    ("other_coordinator", 404), ("outsider", 404), ("other_county_officer", 404),
])
def test_download_access(world, client_for, name, role, status):
    survey = survey_in(world.project, state="open")
    assert client_for(getattr(world, role)).get(distribution_url(name, survey)).status_code == status


def test_no_code_when_the_public_link_is_off(world, client_for):
    survey = survey_in(world.project, state="open", public_link_enabled=False)
    client = client_for(world.project_coordinator)
    assert client.get(distribution_url("qr_png", survey)).status_code == 404
    page = client.get(distribution_url("distribution", survey)).content.decode()
    assert survey.public_token not in page and distribution_url("qr_png", survey) not in page


def test_the_downloads_require_sign_in(world, client):
    survey = survey_in(world.project, state="open")
    response = client.get(distribution_url("qr_png", survey))
    assert response.status_code == 302
