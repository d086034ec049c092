"""Matching and perspective in the register (issue 17, item 5): optional process fields,
splits with intervals and a caution, old files still import."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from foster.placements import services
from foster.placements.models import Placement

pytestmark = pytest.mark.django_db

OLD_HEADER = ";".join(services.BASE_COLUMNS)
NEW_HEADER = ";".join(services.COLUMNS)


def test_an_old_file_without_the_process_columns_still_imports(provider, municipalities):
    content = f"{OLD_HEADER}\nK-1;G-1;regulier;voltijd;4-7;;2025-01-10;;;\n".encode()
    result = services.import_file(provider, "oud.csv", content)
    assert result.ok, result.errors
    p = Placement.objects.get()
    assert p.matching_conversation is None and p.emergency is None


def test_the_process_columns_import_as_yes_no_or_unknown(provider, municipalities):
    content = f"{NEW_HEADER}\nK-1;G-1;regulier;voltijd;4-7;;2025-01-10;;;;ja;nee;;Ja;0\n".encode()
    result = services.import_file(provider, "nieuw.csv", content)
    assert result.ok, result.errors
    p = Placement.objects.get()
    assert (
        p.matching_conversation,
        p.met_before_start,
        p.emergency,
        p.perspective_in_time,
        p.carer_supported,
    ) == (
        True,
        False,
        None,
        True,
        False,
    )


def test_a_wrong_process_value_is_reported_per_row(provider, municipalities):
    content = f"{NEW_HEADER}\nK-1;G-1;regulier;voltijd;4-7;;2025-01-10;;;;misschien;;;;\n".encode()
    result = services.import_file(provider, "nieuw.csv", content)
    assert not result.ok
    assert result.errors[0].column == "matchingsgesprek"


def test_the_api_carries_the_process_fields(login, staff, provider, municipalities):
    body = {
        "provider": provider.slug,
        "child_ref": "K-API-1",
        "carer_ref": "G-API-1",
        "placement_type": "regular",
        "age_band": "4-7",
        "start_date": "2025-02-01",
        "matching_conversation": True,
        "emergency": False,
    }
    response = login(staff).post("/api/v1/placements/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["matching_conversation"] is True and data["emergency"] is False
    assert data["met_before_start"] is None


def test_the_dashboard_splits_by_each_factor_with_intervals_and_a_caution(login, coordinator, make_placement):
    s = date(2024, 1, 1)
    for i in range(60):
        talked = i % 2 == 0
        broke = i % 4 == 1 or i % 6 == 0  # 15 without the conversation, 10 with it
        make_placement(
            s + timedelta(days=i), 90 if broke else 500, "02" if broke else "01", matching_conversation=talked
        )
    response = login(coordinator).get(
        "/monitor/?cohort_start=2024-01-01&cohort_end=2025-12-31&as_of=2026-06-01"
    )
    region = response.context["data"]["region"]
    factor = next(f for f in region["process"] if str(f["label"]) == "Matchingsgesprek gevoerd")
    rows = {r["label"]: r for r in factor["rows"]}
    assert rows["ja"]["n_text"] == "30" and rows["nee"]["n_text"] == "30"
    assert rows["ja"]["cif12"].interval and rows["nee"]["cif12"].interval
    body = response.content.decode()
    assert "samenhangen, geen oorzaken" in body
    # Factors nobody recorded show no rows at all.
    emergency = next(f for f in region["process"] if str(f["label"]) == "Spoedplaatsing")
    assert emergency["rows"] == []
