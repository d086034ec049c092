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
