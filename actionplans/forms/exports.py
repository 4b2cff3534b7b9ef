"""Forms: CSV import of the action plan (SPEC §7.2)."""
from __future__ import annotations

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from ..csv_io import MAX_BYTES

TOKEN_SALT = "actionplans.csv-import"
TOKEN_MAX_AGE = 60 * 60  # an hour from preview to confirmation
TOKEN_INVALID = _("The preview has expired or was changed. Upload the file again.")


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("A file in the format of the export: semicolon- or comma-separated, saved from Excel as "
                    "“CSV UTF-8”. Rows with a number update that action; rows without one become new actions."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 2 MB)."))
        return upload


def import_token_make(*, data: bytes, project_id: int, user_id: int) -> str:
    """The uploaded bytes, signed for this project and person, carried from preview to confirmation."""
    return signing.dumps({"p": project_id, "u": user_id, "d": data.decode("latin-1")}, salt=TOKEN_SALT,
                         compress=True)


def import_token_read(token: str, *, project_id: int, user_id: int) -> bytes | None:
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if payload.get("p") != project_id or payload.get("u") != user_id:
        return None
    return payload["d"].encode("latin-1")


class CsvConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, project_id: int, user_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.project_id, self.user_id = project_id, user_id

    def clean_token(self) -> bytes:
        data = import_token_read(self.cleaned_data["token"], project_id=self.project_id, user_id=self.user_id)
        if data is None:
            raise forms.ValidationError(TOKEN_INVALID)
        return data
