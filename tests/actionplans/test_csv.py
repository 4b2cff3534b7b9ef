"""CSV export and import of the action plan (SPEC §7.2): one format, round-trip, preview, all-or-nothing."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplans import csv_io
from actionplans.csv_io import (
    HEADER,
    ROW_BAD_DATE,
    ROW_BAD_SCALE,
    ROW_NOT_MEMBER,
    ROW_UNKNOWN_CATEGORY,
    actions_csv_export,
    csv_import_commit,
    csv_import_preview,
)
from actionplans.forms.exports import import_token_make
from actionplans.models import Action
from actionplans.services.actions import action_create
from trygga_platser.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def export_url(project):
    return reverse("actionplans:export_csv", kwargs={"project_id": project.pk})


def import_url(project):
    return reverse("actionplans:import_csv", kwargs={"project_id": project.pk})


@pytest.fixture
def plan(world):
    """Three actions with every kind of value: a member responsible, dates, cost, a point."""
    a1 = action_create(user=world.project_coordinator, project=world.project, title="Byt belysning i gångtunneln",
                       description="Tre armaturer; \"LED\" önskas\növer hela tunneln", category="sakerhet",
                       responsible_organisation="Avesta kommun, gatuenheten", responsible=world.member,
                       impact=3, effort=1, horizon="short", start_date=date(2026, 1, 10),
                       due_date=date(2026, 3, 1), status="in_progress", cost_estimate=Decimal("45000"),
                       funding="Trygghetsmedel", lon=16.1681, lat=60.14452)
    a2 = action_create(user=world.project_coordinator, project=world.project, title="Sommarkvällar på torget",
                       category="aktiviteter", impact=2, effort=3, horizon="long", status="planned")
    a3 = action_create(user=world.project_coordinator, project=world.project, title="Städrunda",
                       category="renhallning", status="done", impact=1, effort=1)
    return [a1, a2, a3]


def snapshot(project):
    fields = [name for _column, name in csv_io.COLUMNS]
    return [tuple(getattr(a, f if f != "responsible" else "responsible_id") for f in fields)
            for a in Action.objects.filter(project=project).order_by("number")]


def rows(data: bytes) -> list[list[str]]:
    import csv
    import io
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def csv_bytes(*lines: str, delimiter: str = ";", bom: bool = True, newline: str = "\r\n") -> bytes:
    text = newline.join([delimiter.join(HEADER), *lines]) + newline
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def blank_row(**values: str) -> str:
    """A semicolon row with the given columns filled in."""
    return ";".join(values.get(name.replace("å", "a").replace("ä", "a").replace("ö", "o"), "") for name in HEADER)


# ------------------------------------------------------------------------------------------------
# Export
# ------------------------------------------------------------------------------------------------

def test_export_is_utf8_with_bom_semicolons_codes_and_iso_dates(world, client_for, plan):
    # When the coordinator exports the plan
    response = client_for(world.project_coordinator).get(export_url(world.project))

    # Then it is a CSV attachment for Swedish Excel
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    data = response.content
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    table = rows(data)
    assert table[0] == HEADER
    assert table[1][:4] == ["1", "Byt belysning i gångtunneln", "Tre armaturer; \"LED\" önskas\növer hela tunneln",
                            "sakerhet"]
    first = dict(zip(HEADER, table[1]))
    assert first["ansvarig_epost"] == world.member.email
    assert (first["status"], first["tidshorisont"], first["start"], first["klart_senast"]) == (
        "in_progress", "short", "2026-01-10", "2026-03-01")
    assert (first["kostnad_sek"], first["longitud"], first["latitud"]) == ("45000", "16.1681", "60.14452")
    assert [r[0] for r in table[1:]] == ["1", "2", "3"]


def test_export_and_import_again_changes_nothing(world, plan):
    # Given the exported file and the plan as it is
    data = actions_csv_export(project=world.project)
    before = snapshot(world.project)
    audit_before = AuditEntry.objects.count()

    # When the same file is previewed and imported
    preview = csv_import_preview(project=world.project, data=data)
    csv_import_commit(user=world.project_coordinator, project=world.project, data=data)

    # Then every row is an unchanged update and nothing changed or was logged
    assert not preview.has_errors, [(r.line, r.errors) for r in preview.rows]
    assert [(r.action.code, r.changes) for r in preview.rows] == [("A1", []), ("A2", []), ("A3", [])]
    assert not preview.has_changes
    assert snapshot(world.project) == before
    assert AuditEntry.objects.count() == audit_before


def test_round_trip_through_the_views(world, client_for, plan):
    # Given a file exported through the page
    client = client_for(world.project_coordinator)
    data = client.get(export_url(world.project)).content
    before = snapshot(world.project)

    # When it is uploaded, the preview says it changes nothing and offers no confirmation
    response = client.post(import_url(world.project), {"file": SimpleUploadedFile("plan.csv", data)})
    assert response.status_code == 200
    assert response.context["preview"].unchanged_count == 3
    assert "confirm" not in response.context
    assert snapshot(world.project) == before


def test_an_edited_export_updates_and_creates(world, client_for, plan):
    # Given an exported file where A2 got a new due date and a new row was added
    client = client_for(world.project_coordinator)
    table = rows(client.get(export_url(world.project)).content)
    table[2][HEADER.index("klart_senast")] = "2026-09-30"
    table.append(["", "Nya papperskorgar", "", "renhallning", "Avesta kommun", "", "2", "1", "short", "", "",
                  "planned", "12 500", "", "", ""])
    data = ("\ufeff" + "\r\n".join(";".join(f'"{c}"' if (";" in c or "\n" in c or '"' in c) else c
                                            for c in (cell.replace('"', '""') if '"' in cell else cell for cell in r))
                                   for r in table) + "\r\n").encode("utf-8")

    # When it is previewed
    response = client.post(import_url(world.project), {"file": SimpleUploadedFile("plan.csv", data)})

    # Then the preview lists the update and the new action, and nothing is stored yet
    preview = response.context["preview"]
    assert not preview.has_errors, [(r.line, r.errors) for r in preview.rows]
    assert [("new" if r.is_new else r.action.code, r.changes) for r in preview.rows] == [
        ("A1", []), ("A2", ["klart_senast"]), ("A3", []), ("new", [])]
    assert Action.objects.filter(project=world.project).count() == 3
    body = response.content.decode()
    assert "A2" in body and "Nya papperskorgar" in body

    # When the coordinator confirms with the signed token of the preview
    token = response.context["confirm"].initial["token"]
    response = client.post(import_url(world.project), {"token": token})

    # Then both changes are stored, through the services (audited)
    assert response.status_code == 302
    assert Action.objects.get(project=world.project, number=2).due_date == date(2026, 9, 30)
    new = Action.objects.get(project=world.project, number=4)
    assert (new.title, new.category, new.cost_estimate, new.impact, new.effort) == (
        "Nya papperskorgar", "renhallning", Decimal("12500"), 2, 1)
    assert AuditEntry.objects.filter(action="action.created", project=world.project).count() == 4
    assert AuditEntry.objects.filter(action="action.updated", project=world.project).count() == 1


# ------------------------------------------------------------------------------------------------
# Errors: shown per row, nothing stored
# ------------------------------------------------------------------------------------------------

def test_preview_shows_row_errors_and_stores_nothing(world, client_for, plan, outsider_email="nobody@example.org"):
    # Given a file with one good row and rows with every kind of mistake
    data = csv_bytes(
        blank_row(atgard="Bra rad", arbetsomrade="utbud"),
        blank_row(atgard="Okänt område", arbetsomrade="trafik"),
        blank_row(atgard="Fel datum", arbetsomrade="utbud", start="1/3/2026"),
        blank_row(atgard="Inte medlem", arbetsomrade="utbud", ansvarig_epost=outsider_email),
        blank_row(atgard="För stor påverkan", arbetsomrade="utbud", paverkan="4"),
        blank_row(atgard="", arbetsomrade="utbud"),
    )
    client = client_for(world.project_coordinator)
    before = snapshot(world.project)

    # When it is uploaded
    response = client.post(import_url(world.project), {"file": SimpleUploadedFile("plan.csv", data)})

    # Then each row has its own error next to it, no confirmation is offered, nothing is stored
    preview = response.context["preview"]
    errors = {r.line: r.errors for r in preview.rows}
    assert errors[2] == []
    assert errors[3] == [str(ROW_UNKNOWN_CATEGORY % {"value": "trafik", "choices":
                                                     "sakerhet, utbud, attraktivitet, renhallning, aktiviteter"})]
    assert errors[4] == [str(ROW_BAD_DATE % {"value": "1/3/2026", "column": "start"})]
    assert errors[5] == [str(ROW_NOT_MEMBER % {"email": outsider_email})]
    assert errors[6] == [str(ROW_BAD_SCALE % {"column": "påverkan", "value": "4"})]
    assert errors[7] == [str(csv_io.ROW_TITLE_REQUIRED)]
    assert preview.error_count == 5
    assert "confirm" not in response.context
    assert str(ROW_NOT_MEMBER % {"email": outsider_email}) in response.content.decode()
    assert snapshot(world.project) == before


def test_a_person_outside_the_project_is_refused_even_if_they_are_a_user(world, plan):
    data = csv_bytes(blank_row(atgard="X", arbetsomrade="utbud", ansvarig_epost=world.county_officer.email))
    preview = csv_import_preview(project=world.project, data=data)
    assert preview.rows[0].errors == [str(ROW_NOT_MEMBER % {"email": world.county_officer.email})]


def test_commit_is_all_or_nothing(world, plan):
    # Given a file whose first row is fine and whose second has an error
    data = csv_bytes(blank_row(atgard="Bra rad", arbetsomrade="utbud"),
                     blank_row(nummer="1", atgard="Ändrad titel", arbetsomrade="sakerhet", klart_senast="2025-13-01"))
    before = snapshot(world.project)

    # When it is committed anyway (a forged or stale confirmation)
    with pytest.raises(Exception) as raised:
        csv_import_commit(user=world.project_coordinator, project=world.project, data=data)

    # Then nothing at all is stored
    assert str(csv_io.FILE_HAS_ERRORS) in str(raised.value)
    assert snapshot(world.project) == before


def test_a_service_error_on_a_late_row_rolls_back_the_earlier_rows(world, plan, monkeypatch):
    # Given a valid file of two new actions, and a service that fails on the second one
    from django.core.exceptions import ValidationError

    from actionplans import csv_io as module
    real_create = module.action_create
    calls = []

    def flaky_create(**kwargs):
        calls.append(kwargs["title"])
        if len(calls) == 2:
            raise ValidationError("Databasen sa nej")
        return real_create(**kwargs)

    monkeypatch.setattr(module, "action_create", flaky_create)
    data = csv_bytes(blank_row(atgard="Första", arbetsomrade="utbud"), blank_row(atgard="Andra", arbetsomrade="utbud"))

    # When it is committed
    with pytest.raises(ValidationError, match="3: Databasen sa nej"):
        csv_import_commit(user=world.project_coordinator, project=world.project, data=data)

    # Then the first action was rolled back too
    assert calls == ["Första", "Andra"]
    assert not Action.objects.filter(title="Första").exists()


def test_duplicate_numbers_and_bad_headers_are_errors(world, plan):
    data = csv_bytes(blank_row(nummer="2", atgard="X", arbetsomrade="utbud"),
                     blank_row(nummer="A2", atgard="Y", arbetsomrade="utbud"))
    preview = csv_import_preview(project=world.project, data=data)
    assert preview.rows[1].errors == [str(csv_io.ROW_DUPLICATE_NUMBER % {"number": 2})]

    bad = "\ufeffnummer;titel;färg\r\n1;x;röd\r\n".encode()
    preview = csv_import_preview(project=world.project, data=bad)
    assert preview.has_errors and preview.rows == []
    assert str(csv_io.FILE_UNKNOWN_COLUMNS % {"columns": "titel, färg"}) in preview.file_errors
    assert str(csv_io.FILE_NO_TITLE_COLUMN) in preview.file_errors


def test_an_expired_or_forged_token_stores_nothing(world, client_for, plan):
    client = client_for(world.project_coordinator)
    data = csv_bytes(blank_row(atgard="Smugglad", arbetsomrade="utbud"))
    # A token signed for another person, and one edited by hand, are both refused
    for token in (import_token_make(data=data, project_id=world.project.pk, user_id=world.coach.pk),
                  import_token_make(data=data, project_id=world.project.pk, user_id=world.project_coordinator.pk)
                  + "x"):
        response = client.post(import_url(world.project), {"token": token})
        assert response.status_code == 400
    assert not Action.objects.filter(title="Smugglad").exists()


# ------------------------------------------------------------------------------------------------
# Excel quirks
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_delimiter_bom_and_line_endings(world, delimiter, bom, newline):
    values = {name: "" for name in HEADER} | {"åtgärd": "Ny bänk", "arbetsområde": "attraktivitet",
                                              "kostnad_sek": "\"1 500,5\"" if delimiter == "," else "1 500,5"}
    line = delimiter.join(values[name] for name in HEADER)
    data = csv_bytes(line, delimiter=delimiter, bom=bom, newline=newline)

    preview = csv_import_preview(project=world.project, data=data)

    assert not preview.has_errors, (preview.file_errors, [r.errors for r in preview.rows])
    assert preview.rows[0].fields["title"] == "Ny bänk"
    assert preview.rows[0].fields["cost_estimate"] == Decimal("1501")


@pytest.mark.parametrize("written, expected", [
    ("1,5", Decimal("2")), ("12 500", Decimal("12500")), ("12\u00a0500,00", Decimal("12500")),
    ("1.234,4", Decimal("1234")), ("800 kr", Decimal("800")), ("2500.0", Decimal("2500")),
])
def test_costs_as_excel_writes_them(world, written, expected):
    data = csv_bytes(blank_row(atgard="X", arbetsomrade="utbud", kostnad_sek=written))
    assert csv_import_preview(project=world.project, data=data).rows[0].fields["cost_estimate"] == expected


def test_windows_1252_labels_and_decimal_comma_coordinates(world):
    # Given a file saved by an old Excel in Windows-1252, with labels instead of codes
    line = ";".join({"åtgärd": "Gatuljus", "arbetsområde": "Safety", "status": "In progress",
                     "longitud": "16,1681", "latitud": "60,1445", "start": "2026-02-01 00:00:00"}.get(n, "")
                    for n in HEADER)
    data = ("\r\n".join([";".join(HEADER), line]) + "\r\n").encode("cp1252")

    row = csv_import_preview(project=world.project, data=data).rows[0]

    assert row.errors == []
    assert (row.fields["category"], row.fields["status"]) == ("sakerhet", "in_progress")
    assert (row.fields["lon"], row.fields["lat"], row.fields["start_date"]) == (16.1681, 60.1445, date(2026, 2, 1))


def test_blank_lines_are_skipped_and_unknown_number_is_new(world, plan):
    data = csv_bytes(blank_row(nummer="99", atgard="Ny", arbetsomrade="utbud"), ";" * (len(HEADER) - 1), "")
    preview = csv_import_preview(project=world.project, data=data)
    assert len(preview.rows) == 1 and preview.rows[0].is_new


# ------------------------------------------------------------------------------------------------
# Who may
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role, status", [
    ("project_coordinator", 200), ("coach", 200), ("member", 200), ("project_viewer", 200),
    ("county_officer", 403), ("outsider", 404),
])
def test_export_needs_personal_access(world, client_for, plan, role, status):
    # The file holds e-mail addresses: county board officers may not have it
    response = client_for(getattr(world, role)).get(export_url(world.project))
    assert response.status_code == status


@pytest.mark.parametrize("role, status", [
    ("project_coordinator", 200), ("coach", 200), ("member", 403), ("project_viewer", 403), ("county_officer", 403),
])
def test_import_needs_edit_access(world, client_for, plan, role, status):
    client = client_for(getattr(world, role))
    data = csv_bytes(blank_row(atgard="Obehörig", arbetsomrade="utbud"))
    assert client.get(import_url(world.project)).status_code == status
    response = client.post(import_url(world.project), {"file": SimpleUploadedFile("plan.csv", data)})
    assert response.status_code == status
    if status == 403:
        token = import_token_make(data=data, project_id=world.project.pk, user_id=getattr(world, role).pk)
        assert client.post(import_url(world.project), {"token": token}).status_code == 403
    assert not Action.objects.filter(title="Obehörig").exists()


def test_import_page_explains_the_columns(world, client_for):
    body = client_for(world.project_coordinator).get(import_url(world.project)).content.decode()
    assert re.search(r'<input type="file" name="file"', body)
    assert "ansvarig_epost" in body


def test_text_that_looks_like_a_formula_is_defused_and_still_round_trips(world, plan):
    # Given actions whose text Excel would run as a formula, or that starts with an apostrophe
    action_create(user=world.project_coordinator, project=world.project, title='=HYPERLINK("http://x.invalid")',
                  category="utbud", funding="-500 från föreningen", responsible_organisation="'Citat'")

    # When exported
    data = actions_csv_export(project=world.project)
    last = dict(zip(HEADER, rows(data)[-1]))

    # Then each is written as text (a leading apostrophe) and importing the file changes nothing
    assert last["åtgärd"] == "'=HYPERLINK(\"http://x.invalid\")"
    assert last["finansiering"] == "'-500 från föreningen" and last["ansvarig_organisation"] == "''Citat'"
    preview = csv_import_preview(project=world.project, data=data)
    assert not preview.has_errors and not preview.has_changes


def test_a_confirmation_after_the_plan_changed_is_checked_again(world, client_for, plan):
    # Given a preview that adds an action assigned to the member
    client = client_for(world.project_coordinator)
    data = csv_bytes(blank_row(atgard="Ny åtgärd", arbetsomrade="utbud", ansvarig_epost=world.member.email))
    response = client.post(import_url(world.project), {"file": SimpleUploadedFile("plan.csv", data)})
    token = response.context["confirm"].initial["token"]

    # When the member leaves the project before the coordinator confirms
    world.project.memberships.filter(user=world.member).delete()
    response = client.post(import_url(world.project), {"token": token})

    # Then nothing is stored and the row says why
    assert response.status_code == 400
    assert str(csv_io.FILE_HAS_ERRORS) in response.content.decode()
    assert str(ROW_NOT_MEMBER % {"email": world.member.email}) in response.content.decode()
    assert not Action.objects.filter(title="Ny åtgärd").exists()
