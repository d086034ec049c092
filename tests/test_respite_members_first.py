"""Members first (issue 11 item 5): a hub family's respite is for its own constellation first.

A night of an offer hosted by a constellation's hub is open only to the constellation's
households for ``members_first_days`` after it was opened (the day its availability was saved),
then to the region: in the search (others don't see it; members see it marked) and in the
booking service (a forged request is refused).
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from respite import services
from respite.models import Slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def constellation(make_family, provider):
    from matching.models import Constellation

    hub = make_family("hub@example.org", town="zutphen", form="family_home")
    satellites = [make_family(f"sat{i}@example.org") for i in range(6)]
    outsider = make_family("buiten@example.org")
    c = Constellation.objects.create(
        provider=provider, name="Rond De Linde", hub=hub.household, members_first_days=14
    )
    c.satellites.set([s.household for s in satellites])
    return hub, satellites, outsider, c


@pytest.fixture
def hub_offer(make_offer, constellation):
    hub = constellation[0]
    return make_offer(capacity=2, kind="host_family", title="Hubgezin De Linde", host_user=hub)


def _q(start, nights=2):
    return services.Query(start=start, end=start + timedelta(days=nights))


def _ids(hits):
    return [h.offer.pk for h in hits]


def test_it_records_the_day_a_night_was_opened(hub_offer, next_week):
    today = timezone.localdate()
    assert set(Slot.objects.filter(offer=hub_offer, capacity__gt=0).values_list("opened_on", flat=True)) == {
        today
    }


def test_others_do_not_see_a_hubs_new_nights_and_members_see_them_marked(
    hub_offer, constellation, next_week, login
):
    from respite import selectors

    hub, satellites, outsider, _c = constellation
    assert _ids(selectors.search(outsider, _q(next_week))) == []
    [hit] = selectors.search(satellites[0], _q(next_week))
    assert hit.offer.pk == hub_offer.pk and hit.members_first and hit.free == 2
    page = login(satellites[1]).get(f"/respijt/?start={next_week}&end={next_week + timedelta(days=2)}")
    html = page.content.decode()
    assert "Hubgezin De Linde" in html and "eerst voor jullie constellatie" in html
    page = login(outsider).get(f"/respijt/?start={next_week}&end={next_week + timedelta(days=2)}")
    assert "Hubgezin De Linde" not in page.content.decode()


def test_after_the_window_the_region_sees_the_nights_unmarked(hub_offer, constellation, next_week):
    from respite import selectors

    hub, satellites, outsider, c = constellation
    Slot.objects.filter(offer=hub_offer).update(opened_on=timezone.localdate() - timedelta(days=14))
    [hit] = selectors.search(outsider, _q(next_week))
    assert hit.offer.pk == hub_offer.pk and not hit.members_first
    [hit] = selectors.search(satellites[0], _q(next_week))
    assert not hit.members_first
    # one night still inside the window keeps the whole stay from outsiders
    Slot.objects.filter(offer=hub_offer, day=next_week + timedelta(days=1)).update(
        opened_on=timezone.localdate() - timedelta(days=13)
    )
    assert selectors.search(outsider, _q(next_week)) == []


def test_an_offer_of_a_family_that_is_no_hub_is_open_to_all(make_offer, constellation, next_week):
    from respite import selectors

    hub, satellites, outsider, _c = constellation
    offer = make_offer(kind="host_family", title="Satelliet", host_user=satellites[2])
    assert _ids(selectors.search(outsider, _q(next_week))) == [offer.pk]


def test_a_forged_request_from_outside_is_refused_in_dutch(hub_offer, constellation, next_week, book):
    hub, satellites, outsider, _c = constellation
    with pytest.raises(services.NoCapacity) as refused:
        book(outsider, hub_offer, next_week)
    assert refused.value.code == "members_first"
    assert "alleen voor de gezinnen van de eigen constellatie" in refused.value.message
    opens = timezone.localdate() + timedelta(days=14)
    assert f"{opens:%d-%m-%Y}" in refused.value.message
    assert book(satellites[0], hub_offer, next_week).status == "requested"


def test_the_api_refuses_a_forged_request_with_the_message(hub_offer, constellation, next_week):
    from tests.test_respite_api import _api, _body

    hub, satellites, outsider, _c = constellation
    r = _api(outsider).post("/api/v1/respite/bookings/", _body(hub_offer, next_week), format="json")
    assert r.status_code == 409 and r.json()["code"] == "members_first"
    assert "constellatie" in r.json()["message"]
    r = _api(satellites[0]).get(
        f"/api/v1/respite/offers/?start={next_week}&end={next_week + timedelta(days=2)}"
    )
    assert [(i["id"], i["members_first"]) for i in r.json()] == [(hub_offer.pk, True)]


def test_the_search_answers_what_the_reference_answers_with_hubs(
    make_family, provider, municipalities, constellation, django_assert_max_num_queries
):
    """Random offers, some hosted by the hub, with random opening days and windows: the fast
    search and the reference (matching's public queries row by row) agree for members,
    outsiders, the hub itself and visitors."""
    from matching.models import Constellation
    from respite.models import Offer

    hub, satellites, outsider, c = constellation
    other_hub = make_family("hub2@example.org", town="zutphen", form="family_home")
    c2 = Constellation.objects.create(
        provider=provider, name="Tweede", hub=other_hub.household, members_first_days=0
    )
    c2.satellites.set([outsider.household])
    rng = random.Random(11)
    today = timezone.localdate()
    hosts = [hub, hub, hub, other_hub, satellites[1], None]
    offers = [
        Offer.objects.create(
            provider=provider,
            kind=rng.choice(["host_family", "support_family"]),
            title=f"Hub {i:02d}",
            municipality=municipalities["deventer"],
            postcode="7411",
            capacity=3,
            host_user=hosts[i % len(hosts)],
        )
        for i in range(18)
    ]
    rows = []
    for offer in offers:
        parts = ["night"] if offer.kind != "support_family" else ["morning", "afternoon", "evening"]
        for d in range(12):
            for part in parts:
                cap = rng.randint(0, 3)
                opened = rng.choice([None, today, today - timedelta(days=rng.randint(0, 20))])
                rows.append(
                    Slot(
                        offer=offer,
                        day=today + timedelta(days=d),
                        part=part,
                        capacity=cap,
                        held=rng.randint(0, cap),
                        opened_on=opened,
                    )
                )
    Slot.objects.bulk_create(rows)
    households = [None, hub.household_id, satellites[0].household_id, outsider.household_id]
    marked = hidden = 0
    for _ in range(60):
        start = today + timedelta(days=rng.randint(0, 10))
        q = services.Query(
            start=start, end=start + timedelta(days=rng.randint(0, 3)), emergency=rng.random() < 0.3
        )
        kw = {"only_free": rng.random() < 0.7, "household_id": rng.choice(households)}
        with django_assert_max_num_queries(9):  # 5, + at most 3 for the searcher's constellation
            new = services.search(q, **kw)
        ref = services.search_reference(q, **kw)
        assert _ids(new) == _ids(ref)
        for x, y in zip(new, ref, strict=True):
            assert (x.free, x.parts, x.slots, x.members_first) == (y.free, y.parts, y.slots, y.members_first)
        marked += sum(h.members_first for h in new)
        if kw["household_id"] != satellites[0].household_id:
            open_to_all = services.search_reference(
                q, only_free=kw["only_free"], household_id=satellites[0].household_id
            )
            hidden += len(open_to_all) - len(ref)
    assert marked > 0 and hidden > 0  # the comparison saw the rule at work both ways


def test_the_offer_calendar_shows_the_hubs_new_nights_full_to_outsiders(hub_offer, constellation, next_week):
    hub, satellites, outsider, _c = constellation

    def state(user):
        weeks = services.month_calendar(
            hub_offer, next_week.year, next_week.month, members_first_for=getattr(user, "household_id", None)
        )
        return next(d["state"] for w in weeks for d in w if d and d["date"] == next_week)

    assert state(satellites[0]) == "free" and state(hub) == "free"
    assert state(outsider) == "full" and state(None) == "full"
    days = services.month_calendar(hub_offer, next_week.year, next_week.month)  # the keeper's view
    assert next(d["state"] for w in days for d in w if d and d["date"] == next_week) == "free"
