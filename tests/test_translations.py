"""The Swedish translation is complete, compiled and consistent (SPEC §4.2).

Reads locale/sv/LC_MESSAGES/django.po with a small stdlib parser (no polib), so a missing or fuzzy
translation, a stale .mo file or a lost placeholder fails here rather than in front of a user.
No database is needed.
"""
from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SV_PO = ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po"
SV_MO = SV_PO.with_suffix(".mo")
EN_PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
EN_MO = EN_PO.with_suffix(".mo")


# --- a minimal .po reader ---------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # plain msgstr is index 0
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def is_plural(self) -> bool:
        return self.msgid_plural is not None

    def __str__(self) -> str:  # for readable assertion messages
        ctx = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {ctx}{self.msgid!r}"


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def _unquote(token: str) -> str:
    # A PO string literal uses C escapes, which for the escapes gettext writes (\" \\ \n \t)
    # coincide with Python's; literal_eval keeps non-ASCII text as it is.
    return ast.literal_eval(token)


def parse_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # which field continuation lines extend

    def finish() -> None:
        nonlocal current, target
        if current is not None and (current.msgid or current.msgstr or current.msgctxt is not None):
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if not line or line.startswith(("#", "|")):  # obsolete comments / previous msgids
                continue
        elif line.startswith("#"):
            if current is not None and current.msgstr:  # comments start a new entry
                finish()
            if current is None:
                current = Entry(line=number)
            if line.startswith("#,"):
                current.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue

        if line.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"{path}:{number}: continuation line outside an entry")
            name, index = target
            text = _unquote(line)
            if name == "msgstr":
                current.msgstr[index] += text
            else:
                setattr(current, name, getattr(current, name) + text)
            continue

        match = _KEYWORD.match(line)
        if not match:
            raise ValueError(f"{path}:{number}: cannot parse {raw!r}")
        keyword, index, token = match.group(1), match.group(2), match.group(3)
        if current is None or (keyword in ("msgctxt", "msgid") and current.msgstr):
            finish()
            current = Entry(line=number)
        if current.line == 0:
            current.line = number
        current.obsolete = current.obsolete or obsolete
        text = _unquote(token)
        if keyword.startswith("msgstr"):
            slot = int(index) if index is not None else 0
            current.msgstr[slot] = text
            target = ("msgstr", slot)
        else:
            if keyword == "msgid":
                current.line = number
            setattr(current, keyword, text)
            target = (keyword, 0)
    finish()
    return entries


def header_fields(entries: list[Entry]) -> dict[str, str]:
    header = next(entry for entry in entries if entry.is_header)
    fields = {}
    for line in header.msgstr.get(0, "").splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            fields[key.strip()] = value.strip()
    return fields


def messages(entries: list[Entry]) -> list[Entry]:
    """The translatable entries: not the header, not obsolete (#~) ones."""
    return [entry for entry in entries if not entry.is_header and not entry.obsolete]


SV_ENTRIES = parse_po(SV_PO)
SV_MESSAGES = messages(SV_ENTRIES)


# --- the parser itself ------------------------------------------------------------------------


def test_parser_handles_context_multiline_plurals_and_flags(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Language: sv\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgctxt "verb"\nmsgid ""\n"Long %(a)s "\n"text"\n'
        'msgstr "Lång %(a)s text"\n\n'
        'msgid "%(n)s item"\nmsgid_plural "%(n)s items"\nmsgstr[0] "%(n)s sak"\n'
        'msgstr[1] ""\n"%(n)s "\n"saker \\"x\\""\n\n'
        '#, fuzzy\nmsgid "Old"\nmsgstr "Gammal"\n\n#~ msgid "Gone"\n#~ msgstr "Borta"\n',
        encoding="utf-8",
    )
    entries = parse_po(po)
    assert entries[0].is_header and "fuzzy" in entries[0].flags
    assert header_fields(entries) == {"Language": "sv"}
    long = entries[1]
    assert (long.msgctxt, long.msgid, long.msgstr[0]) == ("verb", "Long %(a)s text", "Lång %(a)s text")
    assert long.flags == {"python-format"}
    plural = entries[2]
    assert plural.is_plural and plural.msgstr == {0: "%(n)s sak", 1: '%(n)s saker "x"'}
    assert entries[3].flags == {"fuzzy"}
    assert entries[4].obsolete and entries[4].msgid == "Gone"
    assert [entry.msgid for entry in messages(entries)] == ["Long %(a)s text", "%(n)s item", "Old"]


# --- the Swedish catalogue --------------------------------------------------------------------


def test_swedish_header_is_valid_and_not_fuzzy():
    header = next(entry for entry in SV_ENTRIES if entry.is_header)
    fields = header_fields(SV_ENTRIES)
    assert "fuzzy" not in header.flags
    assert fields["Language"] == "sv"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"].replace(" ", "") == "nplurals=2;plural=(n!=1);"


def test_the_swedish_catalogue_is_not_empty():
    assert len(SV_MESSAGES) > 100


def test_every_swedish_entry_is_translated_and_not_fuzzy():
    fuzzy = [str(entry) for entry in SV_MESSAGES if "fuzzy" in entry.flags]
    assert not fuzzy, "fuzzy entries:\n" + "\n".join(fuzzy)
    untranslated = []
    for entry in SV_MESSAGES:
        wanted = [0, 1] if entry.is_plural else [0]
        if sorted(entry.msgstr) != wanted or not all(entry.msgstr[i].strip() for i in wanted):
            untranslated.append(str(entry))
    assert not untranslated, "untranslated entries:\n" + "\n".join(untranslated)


def test_no_duplicate_entries():
    keys = [(entry.msgctxt, entry.msgid) for entry in SV_MESSAGES]
    assert len(keys) == len(set(keys))


# Python %-format placeholders: %(name)s, %s, %d, %.1f … (%% is a literal percent sign).
PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")
# str.format placeholders {name} / {0} / {name!r:>10}, and Django-style {{ name }}.
BRACE = re.compile(r"\{\{\s*[\w.]+\s*\}\}|\{[A-Za-z_0-9][\w.]*(?:![rsa])?(?::[^{}]*)?\}")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def _placeholders(text: str) -> list[str]:
    found = [p for p in PERCENT.findall(text) if p != "%%"]
    found += BRACE.findall(text)
    return sorted(found)


@pytest.mark.parametrize("entry", SV_MESSAGES, ids=lambda entry: entry.msgid[:40])
def test_placeholders_and_html_are_preserved(entry):
    sources = [entry.msgid] + ([entry.msgid_plural] if entry.is_plural else [])
    expected_tags = sorted(HTML_TAG.findall(entry.msgid))
    for index, translation in entry.msgstr.items():
        # A plural form may use the singular's or the plural's placeholders.
        allowed = [_placeholders(source) for source in sources]
        assert _placeholders(translation) in allowed, f"{entry} msgstr[{index}]: {translation!r}"
        assert sorted(HTML_TAG.findall(translation)) == expected_tags, f"{entry}: {translation!r}"


# --- the compiled catalogues ------------------------------------------------------------------


def _load_mo(path: Path) -> gettext.GNUTranslations:
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run manage.py compilemessages"
    with path.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_compiled_swedish_catalogue_matches_the_po_file():
    catalog = _load_mo(SV_MO)
    assert catalog.info().get("language") == "sv"
    stale = []
    for entry in SV_MESSAGES:
        if entry.is_plural:
            for n, index in ((1, 0), (2, 1), (5, 1)):
                if entry.msgctxt is not None:
                    got = catalog.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                else:
                    got = catalog.ngettext(entry.msgid, entry.msgid_plural, n)
                if got != entry.msgstr[index]:
                    stale.append(f"{entry} (n={n}): .mo has {got!r}")
        else:
            if entry.msgctxt is not None:
                got = catalog.pgettext(entry.msgctxt, entry.msgid)
            else:
                got = catalog.gettext(entry.msgid)
            if got != entry.msgstr[0]:
                stale.append(f"{entry}: .mo has {got!r}")
    assert not stale, "the .mo file is stale; run compilemessages:\n" + "\n".join(stale)


def test_english_catalogue_is_valid_and_compiled():
    entries = parse_po(EN_PO)
    header = next(entry for entry in entries if entry.is_header)
    fields = header_fields(entries)
    assert "fuzzy" not in header.flags
    assert fields["Language"] == "en"
    assert fields["Plural-Forms"].replace(" ", "") == "nplurals=2;plural=(n!=1);"
    catalog = _load_mo(EN_MO)
    assert catalog.info().get("language") == "en"
    assert catalog.gettext("Skip to content") == "Skip to content"


# --- through Django ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("msgid", "swedish"),
    [
        ("Skip to content", "Hoppa till innehållet"),
        ("Sign out", "Logga ut"),
        ("My projects", "Mina projekt"),
        ("My account", "Mitt konto"),
        ("The page could not be found", "Sidan kunde inte hittas"),
        ("Accessibility statement", "Tillgänglighetsredogörelse"),
    ],
)
def test_django_renders_known_strings_in_swedish(msgid, swedish):
    from django.utils import translation

    with translation.override("sv"):
        assert translation.gettext(msgid) == swedish
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


def test_django_swedish_plurals_and_interpolation():
    from django.utils import translation

    with translation.override("sv"):
        # A plural the templates use (partnership summary and project home).
        one = translation.ngettext("%(counter)s actor", "%(counter)s actors", 1) % {"counter": 1}
        many = translation.ngettext("%(counter)s actor", "%(counter)s actors", 3) % {"counter": 3}
        welcome = translation.gettext("Welcome to %(project)s") % {"project": "Avesta centrum"}
    assert (one, many) == ("1 aktör", "3 aktörer")
    assert welcome == "Välkommen till Avesta centrum"
