"""Early warning (issue 17, item 4): a risk-adjusted CUSUM per provider and for the region."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from foster.placements import cusum
from foster.placements.report import _day


def _frame(
    rng, months: int, per_month: int, rate_per_day: float, as_of: date, factor_from: int | None = None
):
    """Synthetic placements starting every month, exponential times to breakdown."""
    from foster.placements.report import Frame

    starts, ends, codes = [], [], []
    asof = _day(as_of)
    first = asof - months * 30
    for m in range(months):
        for _ in range(per_month):
            s = first + m * 30 + int(rng.integers(0, 30))
            r = rate_per_day * (3.0 if factor_from is not None and s >= asof - factor_from * 30 else 1.0)
            t = int(rng.exponential(1 / r)) + 8
            end = s + t
            starts.append(s)
            ends.append(end if end <= asof else -1)
            codes.append(2 if end <= asof else 0)
    n = len(starts)
    z = np.zeros(n, dtype=np.int8)
    return Frame(
        np.array(starts),
        np.array(ends),
        np.array(codes, dtype=np.int8),
        z.astype(bool),
        z,
        z,
        np.zeros(n),
        np.zeros(n),
    )


def test_in_control_data_rarely_signal_within_two_years():
    rng = np.random.default_rng(17)
    as_of = date(2026, 6, 1)
    alarms = 0
    runs = 60
    for _ in range(runs):
        frame = _frame(rng, 60, 12, 1 / 1500, as_of)
        rates = cusum.baseline_rates(frame, _day(as_of) - 60 * 30, _day(as_of) - 24 * 30)
        months = cusum.chart(frame, rates, as_of)
        alarms += any(m.signal for m in months)
    assert alarms / runs < 0.10


def test_a_tripled_breakdown_rate_signals():
    rng = np.random.default_rng(3)
    as_of = date(2026, 6, 1)
    frame = _frame(rng, 60, 12, 1 / 1500, as_of, factor_from=12)
    rates = cusum.baseline_rates(frame, _day(as_of) - 60 * 30, _day(as_of) - 24 * 30)
    months = cusum.chart(frame, rates, as_of)
    assert months[-1].signal
    assert cusum.episode_start(months) is not None


@pytest.fixture
def demo_region(db, region, municipalities, provider, other_provider):
    from foster.placements import demo
    from thuisnet.accounts.models import Organisation

    Organisation.objects.filter(pk=other_provider.pk).update(slug="veluwe-jeugdzorg")
    Organisation.objects.create(
        region=region, kind="provider", name="Gezinshuizen De Linde", slug="gezinshuizen-de-linde"
    )
    Organisation.objects.filter(pk=provider.pk).update(slug="pleegzorg-ijsselland")
    demo.load(region)
    return region


@pytest.mark.django_db
def test_the_demo_provider_generated_higher_signals_and_the_others_not(demo_region, other_provider, provider):
    from thuisnet.accounts.models import Organisation

    providers = list(Organisation.objects.filter(region=demo_region, kind="provider"))
    result = cusum.charts(demo_region, date(2026, 10, 31), providers)
    assert result[other_provider.pk][-1].signal
    assert not any(m.signal for m in result[provider.pk])


@pytest.mark.django_db
def test_one_email_per_signal_to_coordinators_and_the_providers_staff(demo_region, coordinator, sent_mail):
    from thuisnet.core.jobs import REGISTRY

    assert "placements.check_cusum" in REGISTRY
    cusum.check(date(2026, 10, 31))
    cusum.check(date(2026, 10, 31))  # the same signal: no second email
    mails = [m for m in sent_mail() if "Vroegsignaal" in m.subject]
    assert len(mails) >= 1
    subjects = [m.subject for m in mails]
    assert len(subjects) == len(set(subjects))
    assert all(coordinator.email in m.to for m in mails)
    assert all("geen oordeel over een kind" in m.body for m in mails)


@pytest.mark.django_db
def test_the_dashboard_shows_the_chart_and_its_table(login, coordinator, demo_region):
    body = (
        login(coordinator)
        .get("/monitor/?cohort_start=2025-01-01&cohort_end=2026-12-31&as_of=2026-10-31")
        .content.decode()
    )
    assert "Vroegsignalering" in body and "Signaal sinds" in body
    assert "De vroegsignalering in cijfers" in body


@pytest.mark.django_db
def test_a_chart_with_hidden_monthly_counts_never_shows_the_line_that_gives_them_back(
    login, coordinator, demo_region
):
    """S(t) = max(0, S(t-1) + O(t)·log R − (R−1)·E(t)): with S and E shown, O follows. So where a
    month's count is hidden, the region and other providers' charts show only the signal."""
    from foster.placements import dashboard
    from thuisnet.accounts.models import Organisation

    providers = list(Organisation.objects.filter(region=demo_region, kind="provider"))
    charts = dashboard.cusum_view(demo_region, date(2026, 10, 31), providers)
    for chart in charts:
        small = any(r["observed"] == "<10" for r in chart["rows"])
        assert chart["hidden"] == small
        if small:
            assert all(r["s"] == "—" for r in chart["rows"])
    assert any(c["hidden"] for c in charts)  # the demo has months of 1 to 9 breakdowns


@pytest.mark.django_db
def test_staff_see_their_own_providers_line_in_full(demo_region, provider):
    from foster.placements import dashboard

    [chart] = [
        c
        for c in dashboard.cusum_view(demo_region, date(2026, 10, 31), [provider], own_provider=provider)
        if c["label"] != "Regio"
    ]
    assert not chart["hidden"] and chart["path"]
