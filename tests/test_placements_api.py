"""The placements API: register, import and report for providers' systems and the region."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from foster.placements import services
from foster.placements.models import Placement
from thuisnet.core.models import AuditLog

pytestmark = pytest.mark.django_db

BODY = {
    "provider": "pleegzorg-ijsselland",
    "child_ref": "K-API-1",
    "carer_ref": "G-1",
    "placement_type": "kinship",
    "age_band": "12-15",
    "municipality": "GM0150",
    "start_date": "2025-03-01",
}


def test_staff_create_then_update_a_placement_by_its_key(login, staff, provider, municipalities):
    client = login(staff)
    created = client.post("/api/v1/placements/", BODY, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["municipality"] == "deventer"
    updated = client.post(
        "/api/v1/placements/",
        {**BODY, "end_date": "2025-09-01", "end_code": "02"},
        content_type="application/json",
    )
    assert updated.status_code == 200
    assert updated.json()["id"] == created.json()["id"]
    assert Placement.objects.get().end_code == "02"


def test_a_replayed_idempotency_key_gives_the_first_answer(login, staff, provider, municipalities):
    client = login(staff)
    first = client.post(
        "/api/v1/placements/", BODY, content_type="application/json", headers={"Idempotency-Key": "abc"}
    )
    again = client.post(
        "/api/v1/placements/", BODY, content_type="application/json", headers={"Idempotency-Key": "abc"}
    )
    assert first.status_code == again.status_code == 201
    assert Placement.objects.count() == 1


def test_bad_input_gets_a_code_and_a_dutch_message(login, staff, provider, municipalities):
    response = login(staff).post(
        "/api/v1/placements/", {**BODY, "end_date": "2025-01-01"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert "einddatum" in response.json()["errors"]["end_date"][0].lower()


def test_staff_cannot_write_for_another_provider(login, other_staff, provider, municipalities):
    response = login(other_staff).post("/api/v1/placements/", BODY, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Placement.objects.exists()


def test_staff_list_their_placements_and_the_read_is_logged(login, staff, make_placement):
    make_placement(date(2025, 1, 1), child_ref="K-LIJST")
    response = login(staff).get("/api/v1/placements/?provider=pleegzorg-ijsselland")
    assert response.status_code == 200
    assert [r["child_ref"] for r in response.json()["results"]] == ["K-LIJST"]
    assert AuditLog.objects.filter(object_type="placement_list", actor=staff).exists()


def test_coordinators_cannot_list_rows(login, coordinator, provider):
    response = login(coordinator).get("/api/v1/placements/?provider=pleegzorg-ijsselland")
    assert response.status_code == 403


def test_import_is_all_or_nothing_with_a_row_report(login, staff, provider, municipalities):
    header = ";".join(services.COLUMNS)
    content = f"{header}\nK-1;G-1;regulier;voltijd;8-11;;2025-01-01;;;\nK-2;G-2;x;;8-11;;;;;\n"
    response = login(staff).post(
        "/api/v1/placements/import/",
        {"provider": provider.slug, "file": SimpleUploadedFile("p.csv", content.encode())},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_invalid"
    assert {e["row"] for e in body["errors"]} == {3}
    assert not Placement.objects.exists()


def test_import_through_the_api_is_idempotent(login, staff, provider, municipalities):
    content = services.template_csv().replace(b"VOORBEELD-", b"K-EIGEN-")  # the examples never import
    client = login(staff)
    for expected in ({"created": 2, "unchanged": 0}, {"created": 0, "unchanged": 2}):
        response = client.post(
            "/api/v1/placements/import/",
            {"provider": provider.slug, "file": SimpleUploadedFile("t.csv", content)},
        )
        assert response.status_code == 200
        assert {k: response.json()[k] for k in expected} == expected


REPORT = (
    "/api/v1/placements/report/?region=midden-ijssel-oost-veluwe&cohort_start=2024-01-01"
    "&cohort_end=2025-12-31&as_of=2026-01-01"
)


def test_the_coordinator_gets_the_report_of_the_command_with_small_counts_hidden(
    login, coordinator, cohort, region
):
    from foster.placements.dashboard import protect_report

    response = login(coordinator).get(REPORT)
    assert response.status_code == 200
    args = (region, cohort["start"], cohort["end"], cohort["as_of"])
    full = services.build_report(*args)
    assert response.json() == protect_report(full, *args)
    body = response.json()
    assert 1 <= full["breakdowns"] <= 9 and body["breakdowns"] == "<10"
    assert all(v is None for v in body["cumulative_incidence"].values())  # too few to show
    assert body["rate_per_1000_days"]["estimate"] is None
    assert all("at_risk" not in row for row in body["km_survival"])  # no row per day


def test_staff_get_the_report_for_their_own_provider_only(login, staff, cohort):
    client = login(staff)
    assert client.get(REPORT).status_code == 403
    own = client.get(REPORT + "&provider=pleegzorg-ijsselland")
    assert own.status_code == 200 and own.json()["placements"] == 10
    assert client.get(REPORT + "&provider=veluwe-jeugdzorg").status_code == 403


def test_the_report_rejects_bad_dates(login, coordinator, region):
    response = login(coordinator).get(REPORT.replace("2024-01-01", "1-1-2024"))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_anonymous_callers_are_refused(client, region):
    assert client.get(REPORT).status_code in (401, 403)
