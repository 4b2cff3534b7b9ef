"""Forms: CSV import of the action plan (SPEC §7.2)."""
from __future__ import annotations

from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _

from trygga_platser.uploads.csv_upload import (
    TOKEN_INVALID,  # noqa: F401  (the message tests compare with)
    CsvUploadField,
    UploadConfirmForm,
    upload_token_make,
)

from ..csv_io import MAX_BYTES

TOKEN_SALT = "actionplans.csv-import"
import_token_make = partial(upload_token_make, salt=TOKEN_SALT)


class CsvUploadForm(forms.Form):
    file = CsvUploadField(
        max_bytes=MAX_BYTES, too_large=_("The file is too large (at most 2 MB)."),
        label=_("CSV file"),
        help_text=_("A file in the format of the export: semicolon- or comma-separated, saved from Excel as "
                    "“CSV UTF-8”. Rows with a number update that action; rows without one become new actions."),
    )


class CsvConfirmForm(UploadConfirmForm):
    salt = TOKEN_SALT
