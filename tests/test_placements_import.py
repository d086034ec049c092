"""Uploading placements: CSV and XLSX, Dutch row report, all or nothing, idempotent."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from foster.placements import services
from foster.placements.models import Placement

pytestmark = pytest.mark.django_db

HEADER = ";".join(services.COLUMNS)
GOOD = [
    "K-1;G-1;regulier;voltijd;8-11;Deventer;2025-01-10;2025-06-01;03;gedrag_kind",
    "K-2;G-2;netwerk;;0-3;GM0200;10-02-2025;;;",
    "K-3;G-3;crisis;voltijd;12-15;;2025-03-01;2025-04-01;01;terug_naar_ouders",
]


def _csv(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def test_it_imports_a_csv_file(provider, municipalities):
    result = services.import_file(provider, "plaatsingen.csv", _csv(*GOOD))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    p = Placement.objects.get(child_ref="K-1")
    assert p.end_code == "03" and p.end_reason == "child_behaviour"
    assert p.municipality == municipalities["deventer"]
    assert Placement.objects.get(child_ref="K-2").start_date == date(2025, 2, 10)
    assert Placement.objects.get(child_ref="K-2").municipality == municipalities["apeldoorn"]


def test_uploading_the_same_file_again_changes_nothing(provider, municipalities):
    services.import_file(provider, "p.csv", _csv(*GOOD))
    before = list(Placement.objects.values_list("pk", "updated_at").order_by("pk"))
    again = services.import_file(provider, "p.csv", _csv(*GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert list(Placement.objects.values_list("pk", "updated_at").order_by("pk")) == before


def test_a_changed_row_updates_the_placement_with_the_same_key(provider, municipalities):
    services.import_file(provider, "p.csv", _csv(*GOOD))
    changed = GOOD[1].replace(";;;", ";2025-09-01;01;18_jaar")
    result = services.import_file(provider, "p.csv", _csv(GOOD[0], changed, GOOD[2]))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert Placement.objects.get(child_ref="K-2").end_code == "01"


def test_one_bad_row_saves_nothing_and_reports_each_problem_in_dutch(provider, municipalities):
    bad = "K-9;123456782;onbekend;voltijd;8-11;Amsterdam;2025-02-30;;02;"
    result = services.import_file(provider, "p.csv", _csv(GOOD[0], bad))
    assert not result.ok
    assert Placement.objects.count() == 0
    by_column = {e.column: e for e in result.errors}
    assert all(e.row == 3 for e in result.errors)
    assert "pseudoniem" in by_column["gezin_ref"].message.lower()
    assert "soort" in by_column["soort"].message.lower()
    assert "regio" in by_column["gemeente"].message
    assert "JJJJ-MM-DD" in by_column["startdatum"].message
    assert "einddatum" in by_column["reden_code"].message


def test_it_rejects_a_duplicate_key_within_the_file(provider, municipalities):
    result = services.import_file(provider, "p.csv", _csv(GOOD[0], GOOD[0]))
    assert not result.ok and "regel 2" in result.errors[0].message
    assert Placement.objects.count() == 0


def test_it_rejects_a_birth_date_as_child_reference(provider, municipalities):
    row = GOOD[1].replace("K-2", "2012-05-04")
    result = services.import_file(provider, "p.csv", _csv(row))
    assert not result.ok and "datum" in result.errors[0].message


def test_it_names_missing_columns(provider):
    result = services.import_file(provider, "p.csv", b"kind_ref;gezin_ref\nK-1;G-1\n")
    assert not result.ok and "soort" in result.errors[0].message


def test_it_refuses_other_file_types(provider):
    result = services.import_file(provider, "p.pdf", b"%PDF")
    assert "csv" in result.errors[0].message


def test_it_imports_the_xlsx_template_format(provider, municipalities):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(services.COLUMNS)
    wb.active.append(
        [
            "K-7",
            "G-7",
            "gezinshuis",
            "voltijd",
            "4-7",
            "Zutphen",
            date(2024, 5, 1),
            date(2025, 5, 1),
            2,
            "verzoek_gezin",
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    result = services.import_file(provider, "p.xlsx", buf.getvalue())
    assert result.ok, result.errors
    p = Placement.objects.get(child_ref="K-7")
    assert (p.placement_type, p.end_code, p.end_date) == ("family_home", "02", date(2025, 5, 1))


def test_the_downloadable_templates_never_import_as_real_placements(provider, municipalities):
    for name, content in (("t.csv", services.template_csv()), ("t.xlsx", services.template_xlsx())):
        result = services.import_file(provider, name, content)
        assert result.examples == 2
        assert not result.ok and "voorbeeldregels" in result.errors[0].message
        assert not Placement.objects.exists()


def test_the_template_examples_are_valid_rows_once_renamed(provider, municipalities):
    content = services.template_csv().replace(b"VOORBEELD-", b"K-EIGEN-")
    result = services.import_file(provider, "t.csv", content)
    assert result.ok, result.errors
    assert Placement.objects.count() == 2


def test_example_rows_beside_real_rows_are_skipped(provider, municipalities):
    content = services.template_csv() + b"K-9;G-9;regulier;voltijd;4-7;;2025-01-10;;;\r\n"
    result = services.import_file(provider, "t.csv", content)
    assert result.ok and (result.created, result.examples) == (1, 2)
    assert list(Placement.objects.values_list("child_ref", flat=True)) == ["K-9"]


def test_the_upload_page_shows_the_row_report(login, staff, provider, municipalities):
    client = login(staff)
    upload = SimpleUploadedFile("p.csv", _csv("K-1;G-1;regulier;voltijd;9-12;;2025-01-10;;;"))
    response = client.post("/monitor/import/", {"file": upload, "provider": provider.pk})
    assert response.status_code == 200
    assert "niets opgeslagen" in response.content.decode()
    assert "Onbekende leeftijdsgroep" in response.content.decode()
    assert Placement.objects.count() == 0


def test_the_upload_page_imports_and_logs_it(login, staff, provider, municipalities):
    from thuisnet.core.models import AuditLog

    client = login(staff)
    response = client.post(
        "/monitor/import/", {"file": SimpleUploadedFile("p.csv", _csv(*GOOD)), "provider": provider.pk}
    )
    assert response.status_code == 200
    assert Placement.objects.count() == 3
    assert AuditLog.objects.filter(action="import", object_ref=provider.slug).exists()


def test_staff_cannot_import_for_another_provider(login, other_staff, provider, municipalities):
    client = login(other_staff)
    response = client.post(
        "/monitor/import/", {"file": SimpleUploadedFile("p.csv", _csv(*GOOD)), "provider": provider.pk}
    )
    assert Placement.objects.count() == 0
    assert response.status_code == 200 and "provider" in response.context["form"].errors


def test_the_template_downloads(login, staff):
    client = login(staff)
    csv = client.get("/monitor/import/sjabloon.csv")
    assert csv.status_code == 200 and b"kind_ref;gezin_ref" in csv.content
    xlsx = client.get("/monitor/import/sjabloon.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/monitor/import/sjabloon.pdf").status_code == 404


def test_the_import_command_reads_a_file(tmp_path, provider, municipalities):
    path = tmp_path / "p.csv"
    path.write_bytes(_csv(*GOOD))
    out = io.StringIO()
    call_command("import_placements", str(path), "--provider", provider.slug, stdout=out)
    assert "3 nieuw" in out.getvalue()
    call_command("import_placements", str(path), "--provider", provider.slug, stdout=out)
    assert Placement.objects.count() == 3


def test_the_import_command_fails_loudly_on_errors(tmp_path, provider, municipalities):
    path = tmp_path / "p.csv"
    path.write_bytes(_csv("K-1;G-1;regulier;voltijd;8-11;;morgen;;;"))
    with pytest.raises(CommandError):
        call_command("import_placements", str(path), "--provider", provider.slug, stderr=io.StringIO())
    assert Placement.objects.count() == 0
