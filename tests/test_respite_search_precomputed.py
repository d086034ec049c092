"""The fast availability search answers exactly what the straightforward computation answers.

``services.search`` reads candidates as values, the ledger in one joined query and instances
only for hits; ``services.search_reference`` is the computation it replaced. Over random
ledgers (capacities, holds, missing rows, two regions with different emergency reserves) and
random queries both must return the same hits, in the same order, with the same free counts
and the same per-night rows; and the API's hand-built JSON must equal the serializer's.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def random_ledger(provider, municipalities, region, other_region):
    from django.utils import timezone

    from respite.models import Offer, Slot, WorkingAgreement
    from thuisnet.accounts.models import Municipality

    rng = random.Random(20261201)
    WorkingAgreement.objects.create(region=region, emergency_share=34)
    WorkingAgreement.objects.create(region=other_region, emergency_share=50)
    munis = list(municipalities.values()) + [
        Municipality.objects.create(
            region=other_region, name="Doetinchem", slug="doetinchem", cbs_code="GM0222"
        )
    ]
    today = timezone.localdate()
    offers = []
    for i in range(36):
        low = rng.randint(0, 12)
        offers.append(
            Offer.objects.create(
                provider=provider,
                kind=rng.choice(["place", "host_family", "support_family"]),
                title=f"Gelijkheidstest {i:02d}",
                municipality=rng.choice(munis),
                postcode="7411",
                latitude=52.2 + rng.random() / 5,
                longitude=6.1 + rng.random() / 5,
                age_min=low,
                age_max=rng.randint(low, 17),
                handles=rng.sample(["lvb", "medical", "behaviour", "autism"], rng.randint(0, 4)),
                capacity=rng.randint(1, 5),
                is_active=rng.random() > 0.1,
            )
        )
    rows = []
    for offer in offers:
        parts = ["night"] if offer.kind != "support_family" else ["morning", "afternoon", "evening"]
        for d in range(20):
            for part in parts:
                if rng.random() < 0.1:
                    continue  # no availability: no ledger row
                cap = rng.randint(0, 5)
                rows.append(
                    Slot(
                        offer=offer,
                        day=today + timedelta(days=d),
                        part=part,
                        capacity=cap,
                        held=rng.randint(0, cap),
                    )
                )
    Slot.objects.bulk_create(rows)
    return today, munis, region, other_region


def _same(a, b) -> None:
    assert [h.offer.pk for h in a] == [h.offer.pk for h in b]
    for x, y in zip(a, b, strict=True):
        assert (x.free, x.parts, x.distance_km, x.slots) == (y.free, y.parts, y.distance_km, y.slots)
        assert x.offer.provider.name == y.offer.provider.name
        assert x.offer.municipality.slug == y.offer.municipality.slug


def test_it_answers_exactly_what_the_reference_computation_answers(
    random_ledger, django_assert_max_num_queries
):
    from respite import services

    today, munis, region, other_region = random_ledger
    rng = random.Random(7)
    compared = hits = 0
    for _ in range(150):
        start = today + timedelta(days=rng.randint(-1, 18))
        q = services.Query(
            start=start,
            end=start + timedelta(days=rng.randint(0, 5)),
            age=rng.choice([None, 0, 4, 9, 15, 17]),
            kind=rng.choice(["", "place", "host_family", "support_family"]),
            municipality=rng.choice([None, None, *munis]),
            needs=rng.choice([[], [], ["lvb"], ["medical", "autism"]]),
            emergency=rng.random() < 0.3,
        )
        if rng.random() < 0.2:
            q.postcode, q.radius_km = "7411", rng.choice([5, 25])
        kw = {"region_id": rng.choice([None, region.pk, other_region.pk]), "only_free": rng.random() < 0.7}
        with django_assert_max_num_queries(6):  # 5, + the postcode centroid
            new = services.search(q, **kw)
        _same(new, services.search_reference(q, **kw))
        compared += 1
        hits += len(new)
    assert compared == 150 and hits > 100  # the comparison saw real hits, not only empty answers


def test_the_api_json_equals_what_the_serializer_wrote(random_ledger):
    from respite import services
    from respite.api import OfferSerializer, search_hit_json

    today, *_ = random_ledger
    hits = services.search(
        services.Query(start=today + timedelta(days=2), end=today + timedelta(days=5)), only_free=False
    )
    assert hits
    for hit in hits:
        before = dict(OfferSerializer(hit.offer).data)
        before.update(
            distance_km=None if hit.distance_km is None else round(hit.distance_km, 1),
            free=hit.free,
            slots=[{**s, "date": s["date"].isoformat()} for s in hit.slots],
            members_first=hit.members_first,
        )
        assert search_hit_json(hit) == before
