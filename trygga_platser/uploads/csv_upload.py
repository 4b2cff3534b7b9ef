"""Reading an uploaded CSV file for an import with a preview: the action plan (SPEC §7.2), crime
statistics (§6.3) and survey invitation lists (§5.2) share the same rules.

- Text is UTF-8 (with or without the BOM Excel writes) or, failing that, Windows-1252 (what older
  Swedish Excel saves as "CSV"): nothing else is guessed.
- Swedish Excel separates with semicolons, other locales with commas: the separator is the one the
  header line holds most of (surer than csv.Sniffer on a handful of rows).
- The preview and the confirmation are two requests: the uploaded bytes travel between them signed
  for one project and one person, so the confirmation commits exactly what was previewed.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

TOKEN_MAX_AGE = 60 * 60  # an hour from preview to confirmation
TOKEN_INVALID = _("The preview has expired or was changed. Upload the file again.")


def csv_decode(data: bytes) -> str | None:
    """The file's text without a BOM, or None when it is not text in a supported encoding."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError:
            continue
    return None


def csv_delimiter(header_line: str) -> str:
    return max(";,\t", key=header_line.count)


def csv_split(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header cells and the (line number, cells) of every non-blank row after it."""
    lines = text.splitlines()
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(lines[0] if lines else "")))
    if not rows:
        return [], []
    body = [(index + 1, cells) for index, cells in enumerate(rows) if index > 0 and any(c.strip() for c in cells)]
    return rows[0], body


def csv_text_read(data: bytes, *, max_bytes: int, too_large: Any, not_text: Any, empty: Any) -> tuple[str, str | None]:
    """The upload's text, or "" and the file-level error (the caller's own wording of each)."""
    if len(data) > max_bytes:
        return "", str(too_large)
    text = csv_decode(data)
    if text is None:
        return "", str(not_text)
    if not text.strip():
        return "", str(empty)
    return text, None


@dataclass
class CsvPreview:
    """What an import would do, row by row, before anything is stored."""

    rows: list = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def error_rows(self) -> list:
        return [row for row in self.rows if row.errors]


def upload_token_make(*, data: bytes, project_id: int, user_id: int, salt: str) -> str:
    """The uploaded bytes, signed for this project and person, carried from preview to confirmation."""
    return signing.dumps({"p": project_id, "u": user_id, "d": data.decode("latin-1")}, salt=salt, compress=True)


def upload_token_read(token: str, *, project_id: int, user_id: int, salt: str) -> bytes | None:
    try:
        payload = signing.loads(token, salt=salt, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if payload.get("p") != project_id or payload.get("u") != user_id:
        return None
    return payload["d"].encode("latin-1")


class UploadConfirmForm(forms.Form):
    """The confirmation of a previewed upload; `salt` tells the imports' tokens apart."""

    salt = ""
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, project_id: int, user_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.project_id, self.user_id = project_id, user_id

    def clean_token(self) -> bytes:
        data = upload_token_read(self.cleaned_data["token"], project_id=self.project_id, user_id=self.user_id,
                                 salt=self.salt)
        if data is None:
            raise forms.ValidationError(TOKEN_INVALID)
        return data


class CsvUploadField(forms.FileField):
    """A CSV file input with a size limit checked before the file is read."""

    def __init__(self, *, max_bytes: int, too_large: Any, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))
        super().__init__(**kwargs)
        self.max_bytes, self.too_large = max_bytes, too_large

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is not None and upload.size > self.max_bytes:
            raise forms.ValidationError(self.too_large)
        return upload
