"""The shared rules of a CSV import with a preview (trygga_platser/uploads/csv_upload.py)."""
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from trygga_platser.uploads.csv_upload import (
    TOKEN_INVALID,
    CsvUploadField,
    UploadConfirmForm,
    csv_decode,
    csv_split,
    csv_text_read,
    upload_token_make,
)


def test_decode_reads_utf8_with_and_without_bom_and_windows_1252():
    assert csv_decode("\ufeffår;antal".encode()) == "år;antal"
    assert csv_decode("år;antal".encode()) == "år;antal"
    assert csv_decode("år;antal".encode("cp1252")) == "år;antal"
    assert csv_decode(b"\x81\x8d\x8f\x90\x9d") is None  # undefined in Windows-1252 and not UTF-8


def test_split_takes_the_separator_from_the_header_and_skips_blank_rows():
    # Given a Swedish Excel file (semicolons) whose cells hold commas, and a comma-separated one
    header, body = csv_split('år;kategori;antal\r\n2024;"Rån, grovt";3\r\n;;\r\n2025;Stöld;7\r\n')
    assert header == ["år", "kategori", "antal"]
    assert body == [(2, ["2024", "Rån, grovt", "3"]), (4, ["2025", "Stöld", "7"])]
    assert csv_split("year,count\n2024,3\n")[1] == [(2, ["2024", "3"])]


def test_text_read_reports_the_callers_message_for_each_file_error():
    kwargs = {"max_bytes": 10, "too_large": "stor", "not_text": "ingen text", "empty": "tom"}
    assert csv_text_read(b"x" * 11, **kwargs) == ("", "stor")
    assert csv_text_read(b"\x81\x8d", **kwargs) == ("", "ingen text")
    assert csv_text_read(b" \r\n ", **kwargs) == ("", "tom")
    assert csv_text_read(b"a;b\n1;2", **kwargs) == ("a;b\n1;2", None)


class _Confirm(UploadConfirmForm):
    salt = "tests.csv"


def test_the_preview_token_only_confirms_for_the_same_project_person_and_import():
    # Given a token made at the preview for project 1 and person 2
    data = "år;antal\n2024;3\n".encode()
    token = upload_token_make(data=data, project_id=1, user_id=2, salt="tests.csv")
    # Then it confirms exactly those bytes there, and nowhere else
    form = _Confirm({"token": token}, project_id=1, user_id=2)
    assert form.is_valid() and form.cleaned_data["token"] == data
    for project_id, user_id in ((9, 2), (1, 9)):
        other = _Confirm({"token": token}, project_id=project_id, user_id=user_id)
        assert not other.is_valid() and other.errors["token"] == [str(TOKEN_INVALID)]
    class OtherImport(UploadConfirmForm):
        salt = "tests.other"
    assert not OtherImport({"token": token}, project_id=1, user_id=2).is_valid()
    assert not _Confirm({"token": token[:-2] + "xx"}, project_id=1, user_id=2).is_valid()


def test_upload_field_refuses_a_file_over_the_limit_with_the_callers_message():
    field = CsvUploadField(max_bytes=4, too_large="För stor")
    assert field.clean(SimpleUploadedFile("a.csv", b"1;2")).size == 3
    with pytest.raises(ValidationError) as refused:
        field.clean(SimpleUploadedFile("a.csv", b"1;2;3;4"))
    assert refused.value.messages == ["För stor"]
