"""Respite offers in the site search (see ``search/types.py``): active offers whose name or
description matches, only those the policy shows the user, and only in the user's region
(visitors see every region). Offers hold no personal data, so a plain match is enough."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from search.types import SearchHit
from thuisnet.accounts.policies import scope

from .models import Offer
from .selectors import region_of


def search(query: str, *, user=None, limit: int = 20) -> list[SearchHit]:
    words = (query or "").split()
    if not words or limit <= 0:
        return []
    match = Q()
    for word in words[:8]:
        match &= (
            Q(title__icontains=word) | Q(description__icontains=word) | Q(municipality__name__icontains=word)
        )
    offers = scope(user, "respite.view_offer", Offer.objects.filter(match, is_active=True))
    region_id = region_of(user)
    if region_id:
        offers = offers.filter(municipality__region_id=region_id)
    offers = offers.select_related("municipality", "provider").order_by("title")[:limit]
    return [
        SearchHit(
            title=o.title,
            url=reverse("respite:offer", args=[o.pk]),
            kind="respite_offer",
            kind_label=_("Respijtopvang"),
            snippet=Truncator(f"{o.municipality.name} · {o.provider.name} · {o.description}").chars(200),
            score=0.5 - rank / (2 * limit),
            extra={"municipality": o.municipality.name, "kind": o.kind},
        )
        for rank, o in enumerate(offers)
    ]


# --- The search index (see search/types.py) --------------------------------------------------

KINDS = {"respite_offer": _("Respijtopvang")}
WATCHED = [(Offer, "respite_offer", lambda o: o.pk)]
AVAILABILITY_DAYS = 28


def _availability(offer_ids) -> dict[int, int]:
    """Free places (nights or day parts) in the coming four weeks, per offer, in one query."""
    from datetime import timedelta

    from django.db.models import F, Sum
    from django.utils import timezone

    from .models import Slot

    today = timezone.localdate()
    rows = (
        Slot.objects.filter(
            offer_id__in=offer_ids, day__gte=today, day__lt=today + timedelta(days=AVAILABILITY_DAYS)
        )
        .values("offer_id")
        .annotate(free=Sum(F("capacity") - F("held")))
    )
    return {r["offer_id"]: max(0, r["free"] or 0) for r in rows}


def documents(kind: str, ids=None):
    from search.types import Document

    from .models import Kind

    offers = Offer.objects.select_related("municipality", "provider")
    if ids is not None:
        offers = offers.filter(pk__in=ids)
    offers = list(offers)
    free = _availability([o.pk for o in offers])
    for o in offers:
        n = free.get(o.pk, 0)
        summary = _("%(n)s plekken vrij in de komende 4 weken") % {"n": n} if n else _("nu geen plek vrij")
        yield Document(
            kind="respite_offer",
            object_id=o.pk,
            title=o.title,
            body=" ".join(
                [
                    o.description,
                    str(Kind(o.kind).label),
                    o.provider.name,
                    _("leeftijd %(a)s tot %(b)s jaar") % {"a": o.age_min, "b": o.age_max},
                ]
            ),
            url=reverse("respite:offer", args=[o.pk]),
            municipality=o.municipality.name,
            region_id=o.municipality.region_id,
            changed_at=o.updated_at,
            extra={"kind": o.kind, "availability": summary, "free": n},
        )


def visible(user, kind: str, ids: set[int]) -> set[int]:
    offers = scope(user, "respite.view_offer", Offer.objects.filter(pk__in=ids, is_active=True))
    region_id = region_of(user)
    if region_id:
        offers = offers.filter(municipality__region_id=region_id)
    return set(offers.values_list("pk", flat=True))
