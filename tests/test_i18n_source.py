"""Every UI string reaches the translators: xgettext cannot see a gettext call inside an f-string's
braces, so such a string would stay English on a Swedish page. This test finds them."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ["trygga_platser", "projects", "surveys", "analysis", "actionplans"]
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext", "pgettext_lazy"}


def _gettext_calls_in_fstrings(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for value in node.values:
                for inner in ast.walk(value):
                    if (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)
                            and inner.func.id in GETTEXT_NAMES):
                        lines.append(inner.lineno)
    return lines


def test_no_gettext_call_hides_inside_an_fstring():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for line in _gettext_calls_in_fstrings(ast.parse(path.read_text(encoding="utf-8"))):
                offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert not offenders, f"Translate outside the f-string (xgettext cannot extract these): {offenders}"


def test_the_check_finds_an_offender():
    tree = ast.parse('label = f"<text>{escape(_(\'Do first\'))}</text>"')
    assert _gettext_calls_in_fstrings(tree) == [1]
