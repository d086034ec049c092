"""The demo region gets a realistic, deterministic placement history with a target."""

from __future__ import annotations

from datetime import date

import pytest

from foster.placements import demo, services
from foster.placements.models import Placement, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_providers(region, municipalities, provider, other_provider):
    from thuisnet.accounts.models import Organisation

    Organisation.objects.create(
        region=region, kind="provider", name="Gezinshuizen De Linde", slug="gezinshuizen-de-linde"
    )
    return region


def test_the_demo_history_is_realistic_and_loading_twice_changes_nothing(demo_providers):
    demo.load(demo_providers)
    count = Placement.objects.count()
    assert 2500 <= count <= 3200
    demo.load(demo_providers)
    assert Placement.objects.count() == count
    assert Target.objects.filter(region=demo_providers).count() == 1
    report = services.build_report(demo_providers, date(2019, 1, 1), date(2023, 12, 31), date(2026, 10, 31))
    assert 0.20 <= report["cumulative_incidence"]["24"]["estimate"] <= 0.35
    assert report["target"] is not None
    # Some data-quality problems on purpose.
    assert Placement.objects.filter(end_date__isnull=False, end_code="").exists()


def test_the_demo_is_deterministic(demo_providers):
    from thuisnet.accounts.models import Municipality, Organisation

    providers = {o.slug: o for o in Organisation.objects.filter(kind="provider")}
    munis = list(Municipality.objects.order_by("pk"))
    a = demo.generate(demo_providers, providers, munis, today=date(2026, 10, 31))
    b = demo.generate(demo_providers, providers, munis, today=date(2026, 10, 31))
    key = [(p.child_ref, p.start_date, p.end_date, p.end_code) for p in a]
    assert key == [(p.child_ref, p.start_date, p.end_date, p.end_code) for p in b]


def test_the_demo_meets_the_issue_17_checks(demo_providers, login, coordinator):
    """Recent cohort: not yet measurable; a feasible target is proposed; CUSUM data exist."""
    from foster.placements import feasibility

    demo.load(demo_providers)
    as_of = date(2026, 10, 31)
    recent = services.build_report(demo_providers, date(2026, 1, 1), date(2026, 12, 31), as_of)
    assert recent["cumulative_incidence"]["12"] is None and recent["cumulative_incidence"]["24"] is None
    assert recent["horizons"]["12"]["measurable_from"]
    a = feasibility.assess(demo_providers, as_of)
    assert a.proposal is not None and a.proposal.share < a.baseline.estimate
    body = (
        login(coordinator)
        .get("/monitor/?cohort_start=2026-01-01&cohort_end=2026-12-31&as_of=2026-10-31")
        .content.decode()
    )
    assert body.count("nog niet te meten") >= 2
