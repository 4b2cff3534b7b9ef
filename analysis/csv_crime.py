"""Crime statistics as CSV (SPEC §6.3): the file a coordinator saves from the police's or Brå's
statistics, one row per year and crime category (optionally per sub-area).

The reader takes what Excel makes of such a table: UTF-8 with or without a byte-order mark (or
Windows-1252), semicolons or commas (counted in the header row), English or Swedish column names
(year/år, category/kategori, count/antal, area/område) and counts written with spaces as thousands
separators ("1 204"). A header row is required: without it a year could not be told from a count.

`crime_csv_preview` says, row by row, what the file would do and what is wrong with it; the
service `crime_statistics_import` (analysis/services/crime.py) reads the same bytes again and
stores every row or none.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from trygga_platser.uploads.csv_upload import CsvPreview, csv_split, csv_text_read

from .models import CrimeStatistic

MAX_BYTES = 1024 * 1024
MAX_ROWS = 5000
YEAR_MIN, YEAR_MAX = 1975, 2100
COUNT_MAX = 2_147_483_647  # PositiveIntegerField
TEXT_MAX = 120  # category and area columns

# The column names the reader knows, normalised (lower case, no spaces around): each maps to the
# field it fills. Swedish first: that is what a Swedish coordinator's file says.
HEADER_ALIASES: dict[str, str] = {
    "år": "year", "ar": "year", "year": "year",
    "kategori": "category", "brottskategori": "category", "brott": "category", "brottstyp": "category",
    "category": "category",
    "antal": "count", "antal brott": "count", "anmälda brott": "count", "count": "count", "number": "count",
    "område": "area", "omrade": "area", "area": "area",
}
REQUIRED_FIELDS = ("year", "category", "count")

EXAMPLE_CSV = (
    "år;kategori;antal;område\r\n"
    "2022;Misshandel;42;\r\n"
    "2023;Misshandel;38;\r\n"
    "2024;Misshandel;35;\r\n"
    "2022;Skadegörelse;1 204;\r\n"
    "2023;Skadegörelse;1 150;\r\n"
    "2024;Skadegörelse;980;\r\n"
)

FILE_EMPTY = gettext_lazy("The file is empty.")
FILE_TOO_LARGE = gettext_lazy("The file is too large (at most 1 MB).")
FILE_TOO_MANY_ROWS = gettext_lazy("The file has too many rows (at most 5,000).")
FILE_NOT_TEXT = gettext_lazy("The file could not be read as text. Save it from Excel as “CSV UTF-8”.")
FILE_MISSING_COLUMNS = gettext_lazy(
    "The header row must name the columns year, category and count (or år, kategori and antal); "
    "missing: %(columns)s.")
FILE_DUPLICATE_COLUMNS = gettext_lazy("Columns named twice in the header row: %(columns)s.")
FILE_NO_ROWS = gettext_lazy("The file has a header row but no statistics under it.")
FILE_HAS_ERRORS = gettext_lazy("Nothing was imported: correct the rows with errors and upload the file again.")
ROW_YEAR_REQUIRED = gettext_lazy("The row has no year.")
ROW_BAD_YEAR = gettext_lazy("“%(value)s” is not a year between 1975 and 2100.")
ROW_CATEGORY_REQUIRED = gettext_lazy("The row has no crime category.")
ROW_TOO_LONG = gettext_lazy("%(column)s is too long (at most %(max)s characters).")
ROW_COUNT_REQUIRED = gettext_lazy("The row has no count.")
ROW_BAD_COUNT = gettext_lazy("“%(value)s” is not a count: write a whole number of zero or more, such as 1 204.")
ROW_DUPLICATE = gettext_lazy("The same year, category and area as row %(line)s.")


@dataclass
class CrimeRow:
    line: int  # as a spreadsheet numbers it: the header is line 1
    year: int | None = None
    category: str = ""
    area: str = ""
    count: int | None = None
    raw: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    existing: CrimeStatistic | None = None  # the stored figure it replaces

    @property
    def key(self) -> tuple[int | None, str, str]:
        return (self.year, self.category.casefold(), self.area.casefold())

    @property
    def is_new(self) -> bool:
        return self.existing is None

    @property
    def is_unchanged(self) -> bool:
        return (self.existing is not None and self.existing.count == self.count
                and self.existing.category == self.category and self.existing.area == self.area)

    @property
    def previous_count(self) -> int | None:
        return self.existing.count if self.existing is not None else None


@dataclass
class CrimePreview(CsvPreview):
    rows: list[CrimeRow] = field(default_factory=list)

    @property
    def new_count(self) -> int:
        return sum(1 for row in self.rows if row.is_new)

    @property
    def replace_count(self) -> int:
        return sum(1 for row in self.rows if row.existing is not None and not row.is_unchanged)

    @property
    def unchanged_count(self) -> int:
        return sum(1 for row in self.rows if row.is_unchanged)

    @property
    def has_changes(self) -> bool:
        return self.new_count + self.replace_count > 0


def _normalise_header(name: str) -> str:
    return " ".join(name.strip().strip("\ufeff").strip('"').lower().split())


def _clean_text(value: str) -> str:
    return " ".join(value.split())


def parse_count(value: str) -> int | None:
    """A whole number of zero or more; spaces (also non-breaking) may separate thousands."""
    cleaned = value.strip()
    for space in (" ", "\u00a0", "\u202f", "\u2009"):
        cleaned = cleaned.replace(space, "")
    if not cleaned.isascii() or not cleaned.isdigit():
        return None
    number = int(cleaned)
    return number if number <= COUNT_MAX else None


def _read_table(data: bytes) -> tuple[dict[str, int], list[tuple[int, list[str]]], list[str]]:
    """Column index per field, (line, cells) rows, and file-level errors."""
    text, error = csv_text_read(data, max_bytes=MAX_BYTES, too_large=FILE_TOO_LARGE, not_text=FILE_NOT_TEXT,
                                empty=FILE_EMPTY)
    if error:
        return {}, [], [error]
    header_cells, body = csv_split(text)
    header = [HEADER_ALIASES.get(_normalise_header(name), "") for name in header_cells]
    errors = []
    missing = [name for name in REQUIRED_FIELDS if name not in header]
    if missing:
        errors.append(str(FILE_MISSING_COLUMNS % {"columns": ", ".join(missing)}))
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    if duplicates:
        errors.append(str(FILE_DUPLICATE_COLUMNS % {"columns": ", ".join(duplicates)}))
    columns = {name: index for index, name in enumerate(header) if name}
    if not errors and not body:
        errors.append(str(FILE_NO_ROWS))
    if len(body) > MAX_ROWS:
        errors.append(str(FILE_TOO_MANY_ROWS))
    return columns, body, errors


def _parse_row(line: int, cells: list[str], columns: dict[str, int]) -> CrimeRow:
    raw = {name: (cells[index].strip() if index < len(cells) else "") for name, index in columns.items()}
    row = CrimeRow(line=line, raw=raw)
    year = raw.get("year", "")
    if not year:
        row.errors.append(str(ROW_YEAR_REQUIRED))
    elif year.isascii() and year.isdigit() and YEAR_MIN <= int(year) <= YEAR_MAX:
        row.year = int(year)
    else:
        row.errors.append(str(ROW_BAD_YEAR % {"value": year}))
    row.category = _clean_text(raw.get("category", ""))
    if not row.category:
        row.errors.append(str(ROW_CATEGORY_REQUIRED))
    elif len(row.category) > TEXT_MAX:
        row.errors.append(str(ROW_TOO_LONG % {"column": "kategori", "max": TEXT_MAX}))
    row.area = _clean_text(raw.get("area", ""))
    if len(row.area) > TEXT_MAX:
        row.errors.append(str(ROW_TOO_LONG % {"column": "område", "max": TEXT_MAX}))
    count = raw.get("count", "")
    if not count:
        row.errors.append(str(ROW_COUNT_REQUIRED))
    else:
        row.count = parse_count(count)
        if row.count is None:
            row.errors.append(str(ROW_BAD_COUNT % {"value": count}))
    return row


def crime_csv_preview(*, project, data: bytes) -> CrimePreview:
    """What importing `data` would do, row by row, without storing anything (two queries at most)."""
    columns, body, file_errors = _read_table(data)
    preview = CrimePreview(file_errors=file_errors)
    if file_errors:
        return preview
    # Stored figures by the same key the file is read with: year, category and area, ignoring case
    # and repeated spaces, so "skadegörelse" in next year's file replaces "Skadegörelse".
    existing = {
        (s.year, s.category.casefold(), s.area.casefold()): s
        for s in CrimeStatistic.objects.filter(project=project)
    }
    seen: dict[tuple, int] = {}
    for line, cells in body:
        row = _parse_row(line, cells, columns)
        if row.year is not None and row.category:
            if row.key in seen:
                row.errors.append(str(ROW_DUPLICATE % {"line": seen[row.key]}))
            else:
                seen[row.key] = line
                row.existing = existing.get(row.key)
        preview.rows.append(row)
    return preview
