"""Forms: importing crime statistics from CSV (SPEC §6.3), preview then confirm."""
from __future__ import annotations

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from ..csv_crime import MAX_BYTES

TOKEN_SALT = "analysis.crime-import"
TOKEN_MAX_AGE = 60 * 60  # an hour from preview to confirmation
TOKEN_INVALID = _("The preview has expired or was changed. Upload the file again.")
UPLOAD_TOO_LARGE = _("The file is too large (at most 1 MB).")


class CrimeUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file with crime statistics"),
        help_text=_("One row per year and crime category with the columns år, kategori and antal (or year, "
                    "category, count), and område if the figures are for parts of the area. Semicolons or "
                    "commas; save from Excel as “CSV UTF-8”."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(UPLOAD_TOO_LARGE)
        return upload


def crime_token_make(*, data: bytes, project_id: int, user_id: int) -> str:
    """The uploaded bytes, signed for this project and person, carried from preview to confirmation."""
    return signing.dumps({"p": project_id, "u": user_id, "d": data.decode("latin-1")}, salt=TOKEN_SALT,
                         compress=True)


def crime_token_read(token: str, *, project_id: int, user_id: int) -> bytes | None:
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if payload.get("p") != project_id or payload.get("u") != user_id:
        return None
    return payload["d"].encode("latin-1")


class CrimeConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, project_id: int, user_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.project_id, self.user_id = project_id, user_id

    def clean_token(self) -> bytes:
        data = crime_token_read(self.cleaned_data["token"], project_id=self.project_id, user_id=self.user_id)
        if data is None:
            raise forms.ValidationError(TOKEN_INVALID)
        return data
