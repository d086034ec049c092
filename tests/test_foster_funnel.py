"""The prospect funnel: steps per family form, staff list with flags, the region report."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from foster import services, stats
from foster.models import Prospect
from thuisnet.core import disclosure


@pytest.fixture(autouse=True)
def _check_in_open_now(settings):
    """These tests check people in days ahead: open the check-in window wide."""
    settings.FOSTER_CHECK_IN_HOURS = 24 * 400


@pytest.fixture
def attended(session, person):
    reg = services.register(session, person(1, interests=["full_time", "support"])).registration
    services.check_in(reg)
    return reg


@pytest.mark.django_db
def test_registering_makes_one_prospect_per_family_form_owned_by_the_organiser(attended, provider):
    prospects = Prospect.objects.filter(email=attended.email)
    assert sorted(p.family_form for p in prospects) == ["full_time", "support"]
    assert {p.provider for p in prospects} == {provider}
    assert {p.stage for p in prospects} == {"attended"}


@pytest.mark.django_db
def test_a_step_records_its_date_and_refuses_going_backwards_or_into_the_future(attended, login, staff):
    p = Prospect.objects.get(email=attended.email, family_form="full_time")
    today = timezone.localdate()
    c = login(staff)
    c.post(f"/avonden/aspiranten/{p.pk}/", {"stage": "conversation", "date": today.isoformat()})
    p.refresh_from_db()
    assert p.stage == "conversation" and p.steps.get(stage="conversation").by == staff
    back = c.post(f"/avonden/aspiranten/{p.pk}/", {"stage": "attended", "date": today.isoformat()})
    assert "Kies een fase na de huidige fase" in back.content.decode()
    future = c.post(
        f"/avonden/aspiranten/{p.pk}/", {"stage": "course", "date": (today + timedelta(days=1)).isoformat()}
    )
    assert "niet in de toekomst" in future.content.decode()
    p.refresh_from_db()
    assert p.stage == "conversation"


@pytest.mark.django_db
def test_a_closed_prospect_takes_no_more_steps(attended):
    p = Prospect.objects.get(email=attended.email, family_form="full_time")
    services.record_step(p, "withdrawn", timezone.localdate())
    with pytest.raises(services.RegistrationError) as exc:
        services.record_step(p, "course", timezone.localdate())
    assert exc.value.code == "closed"


def test_working_days_skip_the_weekend():
    friday = date(2026, 11, 20)
    assert services.working_days_between(friday, date(2026, 11, 23)) == 1  # to Monday
    assert services.working_days_between(friday, date(2026, 11, 25)) == 3


@pytest.mark.django_db
def test_staff_see_their_open_prospects_with_a_flag_after_two_working_days(
    attended, login, staff, other_staff
):
    p = Prospect.objects.get(email=attended.email, family_form="full_time")
    Prospect.objects.filter(pk=p.pk).update(stage_date=date(2026, 11, 16))  # a Monday
    p.refresh_from_db()
    assert services.needs_first_conversation(p, today=date(2026, 11, 18)) is False
    assert services.needs_first_conversation(p, today=date(2026, 11, 19)) is True
    text = login(staff).get("/avonden/aspiranten/").content.decode()
    assert "Bezoeker 1" in text and "Eerste gesprek te laat" in text
    assert "Bezoeker 1" not in login(other_staff).get("/avonden/aspiranten/").content.decode()


@pytest.mark.django_db
def test_the_region_report_counts_stages_conversion_and_median_days(login, coordinator, make_evening, person):
    page = make_evening()
    session = page.sessions.get()
    today = timezone.localdate()
    for i in range(6):
        reg = services.register(session, person(i)).registration
        services.check_in(reg)
    prospects = list(Prospect.objects.order_by("pk"))
    for p in prospects[:4]:
        Prospect.objects.filter(pk=p.pk).update(stage_date=today - timedelta(days=10))
        p.steps.filter(stage="attended").update(date=today - timedelta(days=10))
        p.refresh_from_db()
        services.record_step(p, "conversation", today - timedelta(days=[2, 4, 6, 8][prospects.index(p)]))
    report = login(coordinator).get("/avonden/rapportage/").context["report"]
    rows = {r["stage"]: r for r in report["rows"]}
    assert rows["registered"]["reached"] == 6 and rows["attended"]["reached"] == 6
    assert rows["conversation"]["reached"] == 4
    assert rows["conversation"]["conversion"] == pytest.approx(4 / 6)
    assert rows["attended"]["median_days"] == 5.0  # 8, 6, 4, 2 days -> median 5
    assert rows["course"]["shown"] == "0"
    assert report["sources"][0]["label"].startswith("Website")


@pytest.mark.django_db
def test_the_report_hides_small_cells_and_is_for_coordinators_only(
    login, coordinator, staff, session, person
):
    services.register(session, person(1))
    response = login(coordinator).get("/avonden/rapportage/")
    assert "&lt;10" in response.content.decode()
    assert login(staff).get("/avonden/rapportage/").status_code == 403


@pytest.mark.django_db
def test_the_report_refuses_an_end_before_the_start(login, coordinator):
    response = login(coordinator).get("/avonden/rapportage/", {"start": "2026-05-01", "end": "2026-04-01"})
    assert response.status_code == 400
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()


def test_funnel_statistics_are_computed_per_stage():
    d = date(2026, 1, 1)
    rows = stats.funnel([{"a": d, "b": d + timedelta(days=3)}, {"a": d}, {}], ["a", "b"])
    assert rows[0] == {"stage": "a", "reached": 2, "conversion": None, "median_days": 3.0}
    assert rows[1]["conversion"] == 0.5
    assert disclosure.count(2) == "<10" and disclosure.count(0) == "0" and disclosure.count(10) == "10"
