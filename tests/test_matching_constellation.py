"""Issue 11, item 5 (partly): the constellation around a hub family."""

from datetime import date, timedelta

import pytest

from matching import constellations

pytestmark = pytest.mark.django_db


@pytest.fixture
def families(make_family):
    hub = make_family("hub@example.org", town="zutphen", form="family_home")
    hub.full_name = "Hanna Hubbers"
    hub.save()
    satellites = [make_family(f"sat{i}@example.org") for i in range(7)]
    return hub, satellites


def test_a_provider_forms_a_constellation_of_six_to_ten_satellites(staff, families):
    hub, sats = families
    c = constellations.form_constellation(
        staff, name="Rond De Linde", hub=hub.household, satellites=[s.household for s in sats]
    )
    assert c.satellites.count() == 7
    with pytest.raises(constellations.ConstellationError, match="6 tot 10"):
        constellations.form_constellation(
            staff, name="Te klein", hub=hub.household, satellites=[sats[0].household]
        )


def test_another_provider_cannot_form_it(other_staff, families):
    from django.core.exceptions import PermissionDenied

    hub, sats = families
    with pytest.raises(PermissionDenied):
        constellations.form_constellation(
            other_staff, name="X", hub=hub.household, satellites=[s.household for s in sats]
        )


def test_members_see_each_others_first_names_and_outsiders_nothing(staff, families, login, parent):
    hub, sats = families
    constellations.form_constellation(
        staff, name="Rond De Linde", hub=hub.household, satellites=[s.household for s in sats]
    )
    names = dict(constellations.member_first_names(sats[0]))
    assert names[hub.get_short_name()] == "hub" and sats[0].get_short_name() not in names
    assert (
        hub.full_name not in login(sats[1]).get("/mentoren/constellatie/").content.decode()
    )  # first name only
    assert hub.get_short_name() in login(sats[1]).get("/mentoren/constellatie/").content.decode()
    assert constellations.member_first_names(parent) == []


def test_the_hubs_respite_is_for_members_first(staff, families):
    hub, sats = families
    constellations.form_constellation(
        staff, name="R", hub=hub.household, satellites=[s.household for s in sats], members_first_days=10
    )
    opened = date(2026, 12, 1)
    assert constellations.members_only_until(hub.household_id, opened) == opened + timedelta(days=10)
    assert constellations.members_only_until(sats[0].household_id, opened) is None
    assert sats[3].household_id in constellations.constellation_household_ids(sats[0].household_id)


def test_a_worker_forms_one_on_the_provider_page(staff, families, login):
    hub, sats = families
    c = login(staff)
    page = c.get("/mentoren/constellaties/")
    assert page.status_code == 200
    html = page.content.decode()
    assert hub.household.display_name in html
    response = c.post(
        "/mentoren/constellaties/",
        {
            "name": "Rond De Linde",
            "hub": hub.household.pk,
            "satellites": [s.household.pk for s in sats],
            "members_first_days": 10,
        },
        follow=True,
    )
    assert "Constellatie Rond De Linde is opgeslagen." in response.content.decode()
    made = constellations.constellation_of(hub.household_id)
    assert made.members_first_days == 10 and made.satellites.count() == 7


def test_the_provider_page_keeps_input_and_explains_too_few_satellites(staff, families, login):
    hub, sats = families
    response = login(staff).post(
        "/mentoren/constellaties/",
        {
            "name": "Te klein",
            "hub": hub.household.pk,
            "satellites": [sats[0].household.pk],
            "members_first_days": 14,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "6 tot 10" in html and 'value="Te klein"' in html
    assert constellations.constellation_of(hub.household_id) is None


def test_the_provider_page_offers_no_other_providers_families(other_staff, families, login):
    hub, _sats = families
    response = login(other_staff).get("/mentoren/constellaties/")
    assert response.status_code in (200, 403)
    assert hub.household.display_name not in response.content.decode()
    forged = login(other_staff).post(
        "/mentoren/constellaties/",
        {"name": "X", "hub": hub.household.pk, "satellites": [], "members_first_days": 1},
    )
    assert constellations.constellation_of(hub.household_id) is None
    assert forged.status_code in (200, 403)


def test_a_parent_cannot_open_the_provider_page(parent, login):
    assert login(parent).get("/mentoren/constellaties/").status_code == 403


def _formed(staff, families):
    hub, sats = families
    return constellations.form_constellation(
        staff, name="Rond De Linde", hub=hub.household, satellites=[s.household for s in sats]
    )


def test_the_hub_plans_a_gathering_and_members_see_it_in_their_calendar(staff, families, login):
    from datetime import timedelta

    from django.utils import timezone

    from thuisnet.accounts.models import Notification

    hub, sats = families
    _formed(staff, families)
    start = (timezone.localtime() + timedelta(days=10)).replace(hour=19, minute=30, second=0, microsecond=0)
    response = login(hub).post(
        "/mentoren/constellatie/",
        {
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Bij het hubgezin",
            "note": "Samen koken",
        },
        follow=True,
    )
    assert "De bijeenkomst staat in de agenda" in response.content.decode()
    member = login(sats[0])
    page = member.get("/mentoren/constellatie/").content.decode()
    assert "Bij het hubgezin" in page and "Een bijeenkomst plannen" not in page  # satellites don't plan
    feed = member.get("/mentoren/constellatie/agenda.ics")
    assert feed.status_code == 200 and b"Bij het hubgezin" in feed.content and b"BEGIN:VEVENT" in feed.content
    assert Notification.objects.filter(recipient=sats[0], kind="matching").count() == 1


def test_a_gathering_in_the_past_is_refused_at_the_field_with_input_kept(staff, families, login):
    hub, _sats = families
    _formed(staff, families)
    response = login(hub).post(
        "/mentoren/constellatie/",
        {"starts_at": "2020-01-01T19:00", "ends_at": "2020-01-01T21:00", "place": "Buurthuis", "note": ""},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Kies een moment in de toekomst." in html and 'value="Buurthuis"' in html


def test_cancelling_marks_the_calendar_event_cancelled_with_a_higher_sequence(staff, families, login):
    from datetime import timedelta

    from django.utils import timezone

    hub, sats = families
    c = _formed(staff, families)
    start = timezone.now() + timedelta(days=5)
    g = constellations.plan_gathering(
        hub, c, starts_at=start, ends_at=start + timedelta(hours=2), place="Park"
    )
    login(hub).post(f"/mentoren/constellatie/bijeenkomst/{g.pk}/afzeggen/")
    g.refresh_from_db()
    assert g.cancelled and g.sequence == 1
    feed = login(sats[1]).get("/mentoren/constellatie/agenda.ics").content
    assert b"STATUS:CANCELLED" in feed and b"SEQUENCE:1" in feed


def test_outsiders_neither_plan_nor_read_the_gatherings(staff, other_staff, families, parent, login):
    from matching.models import Constellation
    from thuisnet.accounts.policies import can, disagreements

    hub, sats = families
    c = _formed(staff, families)
    assert not can(sats[0], "matching.plan_gathering", c)
    assert not can(parent, "matching.view_gatherings", c) and not can(
        other_staff, "matching.view_gatherings", c
    )
    assert can(staff, "matching.plan_gathering", c) and can(hub, "matching.plan_gathering", c)
    for user in (hub, sats[0], parent, staff, other_staff):
        for cap in ("matching.plan_gathering", "matching.view_gatherings"):
            assert disagreements(user, cap, Constellation.objects.all()) == []
    assert login(parent).get("/mentoren/constellatie/agenda.ics").status_code == 403
    assert login(sats[0]).post("/mentoren/constellatie/bijeenkomst/999/afzeggen/").status_code == 404
