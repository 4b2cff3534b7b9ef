"""Forms: importing crime statistics from CSV (SPEC §6.3), preview then confirm."""
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

from ..csv_crime import MAX_BYTES

TOKEN_SALT = "analysis.crime-import"
UPLOAD_TOO_LARGE = _("The file is too large (at most 1 MB).")
crime_token_make = partial(upload_token_make, salt=TOKEN_SALT)


class CrimeUploadForm(forms.Form):
    file = CsvUploadField(
        max_bytes=MAX_BYTES, too_large=UPLOAD_TOO_LARGE,
        label=_("CSV file with crime statistics"),
        help_text=_("One row per year and crime category with the columns år, kategori and antal (or year, "
                    "category, count), and område if the figures are for parts of the area. Semicolons or "
                    "commas; save from Excel as “CSV UTF-8”."),
    )


class CrimeConfirmForm(UploadConfirmForm):
    salt = TOKEN_SALT
