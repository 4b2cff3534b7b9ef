"""PDF rendering stays offline (SPEC §9; ARCHITECTURE.md "Anti-patterns": nothing fetched at run time).

The URL fetcher may serve the app's static files from the report's pseudo-origin and nothing else:
no local files, no network, no data: URLs. A document that asks for more still renders.
"""
from __future__ import annotations

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from pypdf import PdfReader
from pypdf.generic import BooleanObject

from trygga_platser.reports import rendering
from trygga_platser.reports.rendering import REPORT_BASE_URL, RefusedURL, StaticOnlyURLFetcher, html_to_pdf

ORIGIN = REPORT_BASE_URL.rstrip("/")


class _CountingHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's naming
        self.server.requests.append(self.path)
        body = b"body { color: red }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def http_server():
    """A local HTTP server that counts the requests it gets; the renderer must make none."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/static/css/pdf.css",
        "https://127.0.0.1/static/css/pdf.css",
        "https://localhost/static/css/pdf.css",
        "http://report.trygga-platser.invalid/static/css/pdf.css",  # right host, wrong scheme
        "https://report.trygga-platser.invalid@127.0.0.1/static/css/pdf.css",  # userinfo trick
        "https://report.trygga-platser.invalid:8443/static/css/pdf.css",
        "data:text/css;base64,Ym9keXtjb2xvcjpyZWR9",
        "data:text/plain,hello",
        "ftp://report.trygga-platser.invalid/static/css/pdf.css",
        f"{ORIGIN}/static/../../etc/passwd",
        f"{ORIGIN}/static/%2e%2e/%2e%2e/etc/passwd",
        f"{ORIGIN}/static//etc/passwd",
        f"{ORIGIN}/static/%2Fetc%2Fpasswd",
        f"{ORIGIN}/static/css\\..\\..\\..\\etc\\passwd",
        f"{ORIGIN}/media/reports/1/1/other-municipality.pdf",
        f"{ORIGIN}/static/",
        f"{ORIGIN}/static/css/does-not-exist.css",
    ],
)
def test_the_fetcher_refuses_anything_but_an_existing_static_file(url):
    # Given the report fetcher; when asked for the URL; then it refuses
    with pytest.raises(RefusedURL):
        StaticOnlyURLFetcher().fetch(url)


def test_an_absolute_path_cannot_escape_through_the_static_root(tmp_path, settings):
    # Given a deployment where the finders know no file and the collected STATIC_ROOT is searched
    settings.STATIC_ROOT = tmp_path
    with mock.patch.object(rendering.finders, "find", return_value=None):
        # When a URL's path after /static/ is absolute; then it is refused, not read from disk
        with pytest.raises(RefusedURL):
            StaticOnlyURLFetcher().fetch(f"{ORIGIN}/static//etc/passwd")
        # And a file that is in STATIC_ROOT is still served
        (tmp_path / "css").mkdir()
        (tmp_path / "css" / "collected.css").write_text("p { margin: 0 }")
        response = StaticOnlyURLFetcher().fetch(f"{ORIGIN}/static/css/collected.css")
        assert response.read() == b"p { margin: 0 }"


def test_the_fetcher_serves_the_pdf_stylesheet_from_the_pseudo_origin():
    # Given the stylesheet every report links
    expected = Path(finders.find("css/pdf.css")).read_bytes()
    # When the fetcher is asked for it at the report origin
    response = StaticOnlyURLFetcher().fetch(f"{ORIGIN}{settings.STATIC_URL}css/pdf.css")
    # Then it returns the file as CSS
    assert response.read() == expected
    assert response.content_type == "text/css"


def test_a_document_asking_for_local_files_and_the_network_renders_without_fetching_them(http_server):
    # Given HTML that links a local file, a local HTTP server and the real stylesheet,
    # and tries to embed a local file as a PDF attachment
    port = http_server.server_address[1]
    html = f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Prov</title>
      <link rel="stylesheet" href="/static/css/pdf.css">
      <link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">
      <link rel="attachment" href="file:///etc/passwd" title="lösenord">
      <style>@import url("http://127.0.0.1:{port}/imported.css");
             .bg {{ background: url("http://127.0.0.1:{port}/bg.png") }}</style>
      </head><body>
      <h1>Rapport om Avesta torg</h1>
      <img src="file:///etc/hostname" alt="värdnamn">
      <img src="http://127.0.0.1:{port}/pixel.png" alt="pixel">
      <div class="bg">Bakgrund</div>
      <a rel="attachment" href="file:///etc/passwd">bilaga</a>
      <p style="break-before: page">Andra sidan</p>
      </body></html>"""
    calls: list[str] = []
    original_fetch = StaticOnlyURLFetcher.fetch

    def spy(self, url, headers=None):
        calls.append(url)
        return original_fetch(self, url, headers)

    # When it is rendered
    with mock.patch.object(StaticOnlyURLFetcher, "fetch", spy):
        pdf = html_to_pdf(html)
    # Then a PDF came out, the local server got no request and no local file was embedded
    assert pdf.startswith(b"%PDF-")
    assert http_server.requests == []
    assert f"http://127.0.0.1:{port}/x.css" in calls and "file:///etc/hostname" in calls
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.attachments == {}
    assert b"root:x:0:0" not in pdf
    # And the stylesheet did load from the pseudo-origin: its page footer is on the second page
    assert f"{ORIGIN}/static/css/pdf.css" in calls
    assert "Sida 2 av 2" in reader.pages[1].extract_text()


def test_the_pdf_is_tagged_with_the_document_language():
    # Given a Swedish document; when it is rendered
    pdf = html_to_pdf('<!DOCTYPE html><html lang="sv"><head><title>Lägesrapport</title></head>'
                      "<body><h1>Lägesrapport</h1><p>Åtgärder pågår.</p></body></html>")
    # Then the catalog carries the language and the marks of a tagged PDF/UA document
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert root["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert "/StructTreeRoot" in root
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
