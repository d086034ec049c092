"""The feasible target over two years (issue 17, item 3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from foster.placements import feasibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(region, provider):
    """150 placements a year, 2022 to 2025; every third breaks down at 100 days."""
    from foster.placements.models import Placement

    rows = []
    for year in (2022, 2023, 2024, 2025):
        for i in range(150):
            start = date(year, 1, 1) + timedelta(days=2 * i)
            brk = i % 3 == 0
            end = start + timedelta(days=100 if brk else 450)
            rows.append(
                Placement(
                    provider=provider,
                    region=region,
                    child_ref=f"K-{year}-{i}",
                    carer_ref=f"G-{year}-{i}",
                    placement_type="regular",
                    age_band="8-11",
                    start_date=start,
                    end_date=end if end <= date(2026, 6, 1) else None,
                    end_code=("02" if brk else "01") if end <= date(2026, 6, 1) else "",
                )
            )
    Placement.objects.bulk_create(rows)


def test_power_grows_with_the_reduction_and_the_volume():
    assert feasibility.power(0.3, 0.02, 0.27, 300) < feasibility.power(0.3, 0.02, 0.2, 300)
    assert feasibility.power(0.3, 0.02, 0.25, 100) < feasibility.power(0.3, 0.02, 0.25, 1000)
    assert feasibility.power(0.3, 0.02, 0.3, 300) == 0.0


def test_the_smallest_detectable_reduction_has_eighty_percent_power():
    d = feasibility.smallest_detectable(0.3, 0.02, 300)
    assert feasibility.power(0.3, 0.02, 0.3 - d, 300) == pytest.approx(0.8, abs=1e-3)


def test_it_proposes_a_meaningful_and_measurable_target(region, history):
    a = feasibility.assess(region, date(2026, 6, 1))
    assert (a.baseline_start, a.baseline_end) == (date(2023, 1, 1), date(2024, 12, 31))
    assert a.baseline.estimate == pytest.approx(1 / 3, abs=0.01)
    assert a.expected_two_years == 300
    assert a.proposal is not None and a.proposal.measurable and a.proposal.meaningful
    # The proposal is the most modest candidate that can still be shown.
    assert all(not c.measurable for c in a.candidates if c.meaningful and c.share > a.proposal.share)
    assert a.proposal.share < a.baseline.estimate


def test_the_coordinator_adopts_the_proposal_with_a_note(login, coordinator, region, history, monkeypatch):
    from foster.placements.models import Target

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 6, 1))
    client = login(coordinator)
    page = client.get("/monitor/ambitie/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Voorstel" in body and "Oosterman" in body and "30 tot 50 procent" in body
    share = page.context["form"].fields["share"].initial
    response = client.post(
        "/monitor/ambitie/", {"share": share, "note": "Besloten in het regio-overleg van juni."}
    )
    assert response.status_code == 302
    target = Target.objects.get(region=region)
    assert target.adopted_by == coordinator and target.note.startswith("Besloten")
    assert (target.cohort_start, target.cohort_end, target.horizon_months) == (
        date(2027, 1, 1),
        date(2028, 12, 31),
        12,
    )
    assert float(target.max_share) == pytest.approx(float(share), abs=1e-3)
    assert target.basis["expected_two_years"] == 300


def test_a_note_with_personal_data_is_refused(login, coordinator, region, history, monkeypatch):
    from foster.placements.models import Target

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 6, 1))
    client = login(coordinator)
    share = client.get("/monitor/ambitie/").context["form"].fields["share"].initial
    response = client.post(
        "/monitor/ambitie/", {"share": share, "note": "Bel 06-12345678 of mail jan@example.nl"}
    )
    assert response.status_code == 200
    assert not Target.objects.exists()


def test_staff_cannot_open_the_feasibility_page(login, staff):
    assert login(staff).get("/monitor/ambitie/").status_code == 403
