"""The action plan as CSV, in one format for export and import (SPEC §7.2: round-trip).

The file is what Swedish Excel opens and saves: UTF-8 with a byte-order mark, semicolons, CRLF, a
header row of stable Swedish column names, codes where a code exists (status, work area, horizon)
and ISO dates. The importer also takes what Excel may have made of it: a comma delimiter (sniffed),
Windows-1252 instead of UTF-8, decimal commas and spaces as thousands separators.

Import is two steps: `csv_import_preview` reads the file and says, row by row, whether it creates a
new action or updates an existing one (by `nummer`) and what is wrong with it; `csv_import_commit`
reads the same bytes again and, only if no row has an error, applies every row in one transaction
through the action services (so each change is validated and audited like one made in a form).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import WorkArea
from trygga_platser.tenancy.models import Project, ProjectMembership
from trygga_platser.uploads.csv_upload import CsvPreview, csv_split, csv_text_read

from .models import Action
from .services.actions import action_create, action_update

# The columns, in order: (CSV name, model field). The names are part of the format: never rename.
COLUMNS: list[tuple[str, str]] = [
    ("nummer", "number"),
    ("åtgärd", "title"),
    ("beskrivning", "description"),
    ("arbetsområde", "category"),
    ("ansvarig_organisation", "responsible_organisation"),
    ("ansvarig_epost", "responsible"),
    ("påverkan", "impact"),
    ("insats", "effort"),
    ("tidshorisont", "horizon"),
    ("start", "start_date"),
    ("klart_senast", "due_date"),
    ("status", "status"),
    ("kostnad_sek", "cost_estimate"),
    ("finansiering", "funding"),
    ("longitud", "lon"),
    ("latitud", "lat"),
]
HEADER = [name for name, _field in COLUMNS]
FIELD_OF = dict(COLUMNS)
COLUMN_OF = {model_field: name for name, model_field in COLUMNS}

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000

FILE_EMPTY = gettext_lazy("The file is empty.")
FILE_TOO_LARGE = gettext_lazy("The file is too large (at most 2 MB).")
FILE_TOO_MANY_ROWS = gettext_lazy("The file has too many rows (at most 2,000 actions).")
FILE_NOT_TEXT = gettext_lazy("The file could not be read as text. Save it from Excel as “CSV UTF-8”.")
FILE_NO_TITLE_COLUMN = gettext_lazy("The header row must have the column “åtgärd”. Start from an exported file.")
FILE_UNKNOWN_COLUMNS = gettext_lazy("Unknown columns in the header row: %(columns)s.")
FILE_DUPLICATE_COLUMNS = gettext_lazy("Columns named twice in the header row: %(columns)s.")
FILE_HAS_ERRORS = gettext_lazy("Nothing was imported: correct the rows with errors and upload the file again.")
ROW_TITLE_REQUIRED = gettext_lazy("The action has no title (column åtgärd).")
ROW_CATEGORY_REQUIRED = gettext_lazy("Give a work area (column arbetsområde).")
ROW_UNKNOWN_CATEGORY = gettext_lazy("Unknown work area “%(value)s”; use one of %(choices)s.")
ROW_UNKNOWN_STATUS = gettext_lazy("Unknown status “%(value)s”; use one of %(choices)s.")
ROW_UNKNOWN_HORIZON = gettext_lazy("Unknown horizon “%(value)s”; use one of %(choices)s.")
ROW_BAD_DATE = gettext_lazy("“%(value)s” in %(column)s is not a date; write it as YYYY-MM-DD.")
ROW_BAD_SCALE = gettext_lazy("%(column)s must be 1, 2 or 3, not “%(value)s”.")
ROW_BAD_NUMBER = gettext_lazy("“%(value)s” in %(column)s is not a number.")
ROW_NEGATIVE_COST = gettext_lazy("The cost cannot be negative.")
ROW_BAD_COORDINATE = gettext_lazy("%(column)s is outside the map (“%(value)s”).")
ROW_HALF_POINT = gettext_lazy("Give both longitud and latitud, or neither.")
ROW_BAD_ACTION_NUMBER = gettext_lazy("“%(value)s” in nummer is not an action number such as 12 or A12.")
ROW_DUPLICATE_NUMBER = gettext_lazy("Action A%(number)s appears more than once in the file.")
ROW_NOT_MEMBER = gettext_lazy("%(email)s is not a member of the project.")
ROW_TOO_LONG = gettext_lazy("%(column)s is too long (at most %(max)s characters).")
ROW_DUE_BEFORE_START = gettext_lazy("klart_senast is before start.")


# ------------------------------------------------------------------------------------------------
# Export
# ------------------------------------------------------------------------------------------------

# A cell starting with one of these is a formula to Excel ("=HYPERLINK(…)"): free text that starts
# so is written with a leading apostrophe, which Excel shows as text and the importer removes again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_FIELDS = ("title", "description", "responsible_organisation", "funding")


def _cell(action: Action, model_field: str) -> str:
    value = getattr(action, model_field)
    if value is None or value == "":
        return ""
    if model_field in TEXT_FIELDS:
        return "'" + value if value.startswith(FORMULA_STARTS) or value.startswith("'") else value
    if model_field == "responsible":
        return value.email
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.quantize(Decimal(1)), "f")
    if isinstance(value, float):
        return repr(value)
    return str(value)


def actions_csv_export(*, project: Project) -> bytes:
    """Every action of the project as the CSV file (bytes, UTF-8 with BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADER)
    actions = Action.objects.filter(project=project).select_related("responsible").order_by("number")
    for action in actions:
        writer.writerow([_cell(action, model_field) for _name, model_field in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# ------------------------------------------------------------------------------------------------
# Reading a file
# ------------------------------------------------------------------------------------------------

@dataclass
class ImportRow:
    line: int  # the line in the file, as a spreadsheet numbers it (header = 1)
    values: dict[str, str]  # by CSV column name, as written
    fields: dict[str, Any] = field(default_factory=dict)  # parsed model values
    errors: list[str] = field(default_factory=list)
    action: Action | None = None  # the action it updates, or None for a new one
    changes: list[str] = field(default_factory=list)  # CSV columns that differ from the action

    @property
    def is_new(self) -> bool:
        return self.action is None

    @property
    def is_unchanged(self) -> bool:
        return self.action is not None and not self.changes

    @property
    def title(self) -> str:
        return self.values.get("åtgärd", "")


@dataclass
class ImportPreview(CsvPreview):
    rows: list[ImportRow] = field(default_factory=list)

    @property
    def new_count(self) -> int:
        return sum(1 for row in self.rows if row.is_new)

    @property
    def update_count(self) -> int:
        return sum(1 for row in self.rows if row.action is not None and row.changes)

    @property
    def unchanged_count(self) -> int:
        return sum(1 for row in self.rows if row.is_unchanged)

    @property
    def has_changes(self) -> bool:
        return self.new_count + self.update_count > 0


def _normalise_header(name: str) -> str:
    return name.strip().strip("\ufeff").lower().replace(" ", "_")


def _read_table(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]], list[str]]:
    """Header, (line, cells) rows and file-level errors."""
    text, error = csv_text_read(data, max_bytes=MAX_BYTES, too_large=FILE_TOO_LARGE, not_text=FILE_NOT_TEXT,
                                empty=FILE_EMPTY)
    if error:
        return [], [], [error]
    header_cells, body = csv_split(text)
    header = [_normalise_header(h) for h in header_cells]
    errors = []
    unknown = [h for h in header if h and h not in FIELD_OF]
    if unknown:
        errors.append(str(FILE_UNKNOWN_COLUMNS % {"columns": ", ".join(unknown)}))
    duplicates = sorted({h for h in header if h and header.count(h) > 1})
    if duplicates:
        errors.append(str(FILE_DUPLICATE_COLUMNS % {"columns": ", ".join(duplicates)}))
    if "åtgärd" not in header:
        errors.append(str(FILE_NO_TITLE_COLUMN))
    if len(body) > MAX_ROWS:
        errors.append(str(FILE_TOO_MANY_ROWS))
    return header, body, errors


def _choice(value: str, choices, message, column: str, errors: list[str]) -> str | None:
    wanted = value.strip().lower()
    for code, label in choices:
        # The code, or the label in Swedish, English or the reader's language ("Säkerhet", "Safety").
        names = {code.lower(), str(label).lower()}
        for language in ("sv", "en"):
            with translation.override(language):
                names.add(str(label).lower())
        if wanted in names:
            return code
    errors.append(str(message % {"value": value, "choices": ", ".join(code for code, _label in choices)}))
    return None


def _number(value: str) -> Decimal | None:
    cleaned = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").lower()
    cleaned = cleaned.removesuffix("kr").removesuffix("sek")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "")  # 1.234,5 → 1234,5
    cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _parse_row(row: ImportRow, members: dict[str, Any]) -> None:
    errors = row.errors
    fields = row.fields
    for column, raw in row.values.items():
        value = raw.strip()
        model_field = FIELD_OF[column]
        if model_field == "number":
            continue
        if model_field in TEXT_FIELDS:
            if value.startswith("'"):
                value = value[1:]  # the apostrophe the export put before a would-be formula
            limit = Action._meta.get_field(model_field).max_length
            if limit and len(value) > limit:
                errors.append(str(ROW_TOO_LONG % {"column": column, "max": limit}))
            elif model_field == "title" and not value:
                errors.append(str(ROW_TITLE_REQUIRED))
            else:
                fields[model_field] = value
        elif model_field == "category":
            if not value:
                if row.action is None:
                    errors.append(str(ROW_CATEGORY_REQUIRED))
                continue
            code = _choice(value, WorkArea.choices, ROW_UNKNOWN_CATEGORY, column, errors)
            if code:
                fields[model_field] = code
        elif model_field in ("status", "horizon"):
            if not value:
                continue  # the default for a new action, unchanged for an existing one
            choices = Action.Status.choices if model_field == "status" else Action.Horizon.choices
            message = ROW_UNKNOWN_STATUS if model_field == "status" else ROW_UNKNOWN_HORIZON
            code = _choice(value, choices, message, column, errors)
            if code:
                fields[model_field] = code
        elif model_field in ("impact", "effort"):
            if not value:
                continue
            number = _number(value)
            if number is None or number not in (1, 2, 3):
                errors.append(str(ROW_BAD_SCALE % {"column": column, "value": value}))
            else:
                fields[model_field] = int(number)
        elif model_field in ("start_date", "due_date"):
            if not value:
                fields[model_field] = None
                continue
            try:
                fields[model_field] = date.fromisoformat(value[:10] if len(value) > 10 and value[10] in " T" else value)
            except ValueError:
                errors.append(str(ROW_BAD_DATE % {"value": value, "column": column}))
        elif model_field == "cost_estimate":
            if not value:
                fields[model_field] = None
                continue
            number = _number(value)
            if number is None:
                errors.append(str(ROW_BAD_NUMBER % {"value": value, "column": column}))
            elif number < 0:
                errors.append(str(ROW_NEGATIVE_COST))
            elif number >= Decimal(10) ** 12:
                errors.append(str(ROW_BAD_NUMBER % {"value": value, "column": column}))
            else:
                # The model keeps whole kronor: "1 500,50" becomes 1 501.
                fields[model_field] = number.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        elif model_field in ("lon", "lat"):
            if not value:
                fields[model_field] = None
                continue
            number = _number(value)
            limit = 180 if model_field == "lon" else 90
            if number is None:
                errors.append(str(ROW_BAD_NUMBER % {"value": value, "column": column}))
            elif abs(number) > limit:
                errors.append(str(ROW_BAD_COORDINATE % {"value": value, "column": column}))
            else:
                fields[model_field] = float(number)
        elif model_field == "responsible":
            if not value:
                fields[model_field] = None
            elif value.lower() in members:
                fields[model_field] = members[value.lower()]
            else:
                errors.append(str(ROW_NOT_MEMBER % {"email": value}))
    lon = fields.get("lon", row.action.lon if row.action else None)
    lat = fields.get("lat", row.action.lat if row.action else None)
    if (lon is None) != (lat is None) and ("lon" in fields or "lat" in fields):
        errors.append(str(ROW_HALF_POINT))
    start = fields.get("start_date", row.action.start_date if row.action else None)
    due = fields.get("due_date", row.action.due_date if row.action else None)
    if start and due and due < start:
        errors.append(str(ROW_DUE_BEFORE_START))


def _same(model_field: str, old: Any, new: Any) -> bool:
    if model_field == "responsible":
        return getattr(old, "pk", None) == getattr(new, "pk", None)
    return old == new


def csv_import_preview(*, project: Project, data: bytes) -> ImportPreview:
    """What importing `data` would do, row by row, without storing anything."""
    header, body, file_errors = _read_table(data)
    preview = ImportPreview(file_errors=file_errors)
    if file_errors:
        return preview
    existing = {a.number: a for a in Action.objects.filter(project=project).select_related("responsible")}
    members = {
        m.user.email.lower(): m.user
        for m in ProjectMembership.objects.filter(project=project).select_related("user")
    }
    seen: set[int] = set()
    for line, cells in body:
        values = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name}
        row = ImportRow(line=line, values=values)
        raw_number = values.get("nummer", "").strip()
        if raw_number:
            digits = raw_number.upper().removeprefix("A")
            if not digits.isdigit():
                row.errors.append(str(ROW_BAD_ACTION_NUMBER % {"value": raw_number}))
            else:
                number = int(digits)
                if number in seen:
                    row.errors.append(str(ROW_DUPLICATE_NUMBER % {"number": number}))
                seen.add(number)
                row.action = existing.get(number)
        _parse_row(row, members)
        if row.action is not None:
            row.changes = [COLUMN_OF[k] for k, v in row.fields.items() if not _same(k, getattr(row.action, k), v)]
        preview.rows.append(row)
    return preview


def csv_import_commit(*, user, project: Project, data: bytes) -> ImportPreview:
    """Apply the file: all rows or none. Raises ValidationError (nothing stored) on any error."""
    with transaction.atomic():
        # Read the file again inside the transaction, so it is checked against the actions as they
        # are now (someone may have changed them since the preview).
        preview = csv_import_preview(project=project, data=data)
        if preview.has_errors:
            raise ValidationError(str(FILE_HAS_ERRORS))
        for row in preview.rows:
            try:
                if row.action is None:
                    action_create(user=user, project=project, **row.fields)
                elif row.changes:
                    changed = {k: v for k, v in row.fields.items() if COLUMN_OF[k] in row.changes}
                    action_update(user=user, project=project, action=row.action, **changed)
            except ValidationError as error:
                # Anything the preview did not foresee still stops the whole import.
                messages = "; ".join(error.messages)
                raise ValidationError(_("Row %(line)s: %(errors)s") % {"line": row.line, "errors": messages}) from error
    return preview
