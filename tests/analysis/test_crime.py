"""Crime statistics (SPEC §6.3): CSV import with preview and all-or-nothing commit, the trend."""
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from analysis import csv_crime
from analysis.csv_crime import crime_csv_preview, parse_count
from analysis.forms.crime import TOKEN_INVALID, crime_token_make
from analysis.models import CrimeStatistic
from analysis.selectors.crime import crime_trend
from analysis.services.crime import crime_statistics_clear, crime_statistics_import
from trygga_platser.audit.models import AuditEntry

GOOD = "år;kategori;antal;område\n2022;Misshandel;42;\n2023;Misshandel;38;\n2022;Skadegörelse;1 204;\n"


def _bytes(text: str, bom: bool = True) -> bytes:
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def test_a_good_file_is_imported_and_audited(world):
    # Given a Swedish file with a BOM, semicolons and a thousands separator
    # When it is imported
    preview = crime_statistics_import(user=world.project_coordinator, project=world.project, data=_bytes(GOOD))
    # Then every row is stored with its count
    assert preview.new_count == 3
    stored = {(s.year, s.category, s.area): s.count for s in CrimeStatistic.objects.filter(project=world.project)}
    assert stored == {(2022, "Misshandel", ""): 42, (2023, "Misshandel", ""): 38, (2022, "Skadegörelse", ""): 1204}
    # and the import is in the project's log
    assert AuditEntry.objects.filter(project=world.project, action="crime.imported").count() == 1


def test_english_headers_commas_and_areas(world):
    # Given an English, comma-separated file without BOM, with sub-areas and columns in another order
    data = _bytes("Category,Year,Count,Area\nRobbery,2021,5,North\nRobbery,2021,7,South\n", bom=False)
    # When it is imported
    crime_statistics_import(user=world.coach, project=world.project, data=data)
    # Then the trend adds the areas together
    trend = crime_trend(project=world.project)
    assert trend.years == [2021]
    assert trend.series == [("Robbery", [12])]
    assert trend.areas == ["North", "South"]


@pytest.mark.parametrize("text, expected", [("1 204", 1204), ("1\u00a0204", 1204), ("12", 12), ("0", 0),
                                            ("-3", None), ("1.5", None), ("12a", None), ("١٢", None)])
def test_counts_may_have_spaces_as_thousands_separators(text, expected):
    assert parse_count(text) == expected


def test_bad_rows_are_reported_with_their_line_numbers_and_nothing_is_stored(world):
    # Given a file with a good row and bad ones (line 1 is the header)
    data = _bytes("år;kategori;antal\n2022;Rån;4\n1900;Rån;3\n2023;;5\n2024;Rån;många\n2022;rån;9\n")
    # When it is previewed
    preview = crime_csv_preview(project=world.project, data=data)
    # Then each bad row is named by its line with what is wrong
    errors = {row.line: row.errors for row in preview.rows if row.errors}
    assert errors == {
        3: [str(csv_crime.ROW_BAD_YEAR % {"value": "1900"})],
        4: [str(csv_crime.ROW_CATEGORY_REQUIRED)],
        5: [str(csv_crime.ROW_BAD_COUNT % {"value": "många"})],
        6: [str(csv_crime.ROW_DUPLICATE % {"line": 2})],
    }
    # And committing it stores nothing, not even the good row
    with pytest.raises(ValidationError):
        crime_statistics_import(user=world.project_coordinator, project=world.project, data=data)
    assert not CrimeStatistic.objects.filter(project=world.project).exists()


@pytest.mark.parametrize("data, message", [
    (b"", csv_crime.FILE_EMPTY),
    (_bytes("2022;Rån;4\n"), None),  # no header: the year is taken as a column name
    (_bytes("år;kategori\n2022;Rån\n"), None),
    (_bytes("år;kategori;antal\n"), csv_crime.FILE_NO_ROWS),
    (b"\xff\xfe\x00\x00garbage\x81\x8d\x8f\x90\x9d", None),
])
def test_file_level_errors(world, data, message):
    preview = crime_csv_preview(project=world.project, data=data)
    assert preview.file_errors
    if message is not None:
        assert preview.file_errors == [str(message)]


def test_reimporting_replaces_the_count_of_the_same_year_category_and_area(world):
    # Given stored figures
    crime_statistics_import(user=world.coach, project=world.project, data=_bytes(GOOD))
    # When a file with one changed and one new figure comes
    data = _bytes("year;category;count\n2023;misshandel;40\n2024;Misshandel;30\n2022;Misshandel;42\n")
    preview = crime_csv_preview(project=world.project, data=data)
    assert (preview.new_count, preview.replace_count, preview.unchanged_count) == (1, 1, 1)
    crime_statistics_import(user=world.coach, project=world.project, data=data)
    # Then the count is replaced, not added, and nothing is duplicated
    rows = CrimeStatistic.objects.filter(project=world.project, category__iexact="misshandel").order_by("year")
    assert [(r.year, r.count) for r in rows] == [(2022, 42), (2023, 40), (2024, 30)]
    assert CrimeStatistic.objects.filter(project=world.project).count() == 4


def test_clear_removes_only_this_projects_figures(world):
    crime_statistics_import(user=world.coach, project=world.project, data=_bytes(GOOD))
    crime_statistics_import(user=world.other_coordinator, project=world.other_project, data=_bytes(GOOD))
    assert crime_statistics_clear(user=world.coach, project=world.project) == 3
    assert not CrimeStatistic.objects.filter(project=world.project).exists()
    assert CrimeStatistic.objects.filter(project=world.other_project).count() == 3
    assert AuditEntry.objects.filter(project=world.project, action="crime.cleared").exists()


def test_trend_has_none_for_missing_years_and_a_total(world):
    crime_statistics_import(user=world.coach, project=world.project, data=_bytes(GOOD))
    trend = crime_trend(project=world.project)
    assert trend.years == [2022, 2023]
    assert trend.series == [("Misshandel", [42, 38]), ("Skadegörelse", [1204, None])]
    assert trend.total == [1246, 38]


# ------------------------------------------------------------------------------------------------
# Views
# ------------------------------------------------------------------------------------------------

def _upload(client, project, text: str):
    url = reverse("analysis:crime_import", kwargs={"project_id": project.pk})
    return client.post(url, {"file": SimpleUploadedFile("brott.csv", _bytes(text), content_type="text/csv")})


def test_import_preview_then_confirm_through_the_pages(world, client_for):
    client = client_for(world.project_coordinator)
    # Given an uploaded file, the preview stores nothing and offers the confirmation
    response = _upload(client, world.project, GOOD)
    assert response.status_code == 200
    assert not CrimeStatistic.objects.filter(project=world.project).exists()
    token = response.context["confirm"].initial["token"]
    # When the confirmation is posted
    response = client.post(reverse("analysis:crime_import", kwargs={"project_id": world.project.pk}), {"token": token})
    # Then the figures are stored and the page shows them
    assert response.status_code == 302
    page = client.get(reverse("analysis:crime", kwargs={"project_id": world.project.pk}))
    assert page.status_code == 200
    assert "1204" in page.content.decode() or "1\u00a0204" in page.content.decode()
    assert 'role="img"' in page.content.decode()


def test_preview_of_a_bad_file_shows_the_line_numbers(world, client_for):
    client = client_for(world.coach)
    response = _upload(client, world.project, "år;kategori;antal\n2022;Rån;4\n2023;Rån;x\n")
    assert response.status_code == 400
    assert "confirm" not in response.context
    body = response.content.decode()
    assert str(csv_crime.ROW_BAD_COUNT % {"value": "x"}) in body


def test_a_token_for_another_project_or_person_is_refused(world, client_for):
    token = crime_token_make(data=_bytes(GOOD), project_id=world.other_project.pk, user_id=world.coach.pk)
    client = client_for(world.coach)
    response = client.post(reverse("analysis:crime_import", kwargs={"project_id": world.project.pk}), {"token": token})
    assert response.status_code == 400
    assert str(TOKEN_INVALID) in response.content.decode()
    assert not CrimeStatistic.objects.exists()


@pytest.mark.parametrize("name", ["crime_import", "crime_clear"])
@pytest.mark.parametrize("role, status", [("member", 403), ("project_viewer", 403), ("county_officer", 403),
                                          ("other_coordinator", 404), ("outsider", 404), ("coach", 200)])
def test_editing_needs_edit(world, client_for, name, role, status):
    response = client_for(getattr(world, role)).get(reverse(f"analysis:{name}", kwargs={"project_id": world.project.pk}))
    assert response.status_code == status


@pytest.mark.parametrize("role, status", [("county_officer", 200), ("member", 200), ("other_coordinator", 404)])
def test_viewing_needs_view(world, client_for, role, status):
    client = client_for(getattr(world, role))
    assert client.get(reverse("analysis:crime", kwargs={"project_id": world.project.pk})).status_code == status
    assert client.get(reverse("analysis:crime_example", kwargs={"project_id": world.project.pk})).status_code == status


def test_county_board_sees_no_import_form(world, client_for):
    response = client_for(world.county_officer).get(reverse("analysis:crime", kwargs={"project_id": world.project.pk}))
    assert response.context["form"] is None
    assert reverse("analysis:crime_import", kwargs={"project_id": world.project.pk}) not in response.content.decode()


def test_the_example_file_imports_cleanly(world, client_for):
    response = client_for(world.coach).get(reverse("analysis:crime_example", kwargs={"project_id": world.project.pk}))
    preview = crime_csv_preview(project=world.project, data=response.content)
    assert not preview.has_errors and preview.new_count == 6


def test_clear_through_the_page(world, client_for):
    crime_statistics_import(user=world.coach, project=world.project, data=_bytes(GOOD))
    response = client_for(world.coach).post(reverse("analysis:crime_clear", kwargs={"project_id": world.project.pk}))
    assert response.status_code == 302
    assert not CrimeStatistic.objects.filter(project=world.project).exists()
