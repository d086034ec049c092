"""Demo data for respite, called by `manage.py load_demo`. Idempotent: offers are looked up by
title and provider; bookings and unmet demand are only added the first time."""

from __future__ import annotations

import contextlib
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

# (provider slug, title, kind, municipality slug, pc4, ages, handles, capacity, max stay, pattern, host)
OFFERS = [
    (
        "gezinshuizen-de-linde",
        "Logeerplek Gezinshuis De Linde",
        "place",
        "zutphen",
        "7201",
        (4, 17),
        ["behaviour", "trauma", "lvb"],
        2,
        4,
        "nightly",
        None,
    ),
    (
        "gezinshuizen-de-linde",
        "Weekendhuis De Linde",
        "place",
        "lochem",
        "7241",
        (6, 17),
        ["behaviour", "autism"],
        3,
        2,
        "weekends",
        None,
    ),
    (
        "pleegzorg-ijsselland",
        "Respijtplek Het IJsselhuis",
        "place",
        "deventer",
        "7411",
        (0, 12),
        ["medical", "physical"],
        2,
        7,
        "nightly",
        None,
    ),
    (
        "pleegzorg-ijsselland",
        "Weekendgezin Van der Berg",
        "host_family",
        "deventer",
        "7422",
        (4, 12),
        ["lvb"],
        1,
        2,
        "fortnightly",
        None,
    ),
    (
        "pleegzorg-ijsselland",
        "Respijtgezin Brummen",
        "host_family",
        "brummen",
        "6971",
        (0, 17),
        ["trauma"],
        1,
        3,
        "weekends",
        None,
    ),
    (
        "pleegzorg-ijsselland",
        "Steungezin Voorst",
        "support_family",
        "voorst",
        "7383",
        (4, 14),
        ["autism"],
        1,
        1,
        "wednesdays",
        None,
    ),
    (
        "veluwe-jeugdzorg",
        "Logeerhuis De Veluwe",
        "place",
        "apeldoorn",
        "7311",
        (8, 17),
        ["behaviour", "lvb", "autism"],
        4,
        5,
        "nightly",
        None,
    ),
    (
        "veluwe-jeugdzorg",
        "Weekendgezin Epe",
        "host_family",
        "epe",
        "8161",
        (6, 17),
        ["behaviour"],
        2,
        2,
        "fortnightly",
        None,
    ),
    (
        "veluwe-jeugdzorg",
        "Steungezin Bakker",
        "support_family",
        "apeldoorn",
        "7322",
        (2, 12),
        [],
        1,
        1,
        "saturdays",
        "steunouder@thuisnet.example",
    ),
    (
        # A flexible stay: a holiday week or a longer break, in consecutive days agreed with the
        # family (3 to 10 days, arrival and departure day both counted).
        "pleegzorg-ijsselland",
        "Vakantiegezin De Wilg",
        "flexible",
        "brummen",
        "6971",
        (4, 14),
        ["trauma"],
        1,
        10,
        "nightly",
        None,
    ),
    (
        "veluwe-jeugdzorg",
        "Steungezin Heerde",
        "support_family",
        "heerde",
        "8181",
        (0, 10),
        ["medical"],
        2,
        2,
        "weekdays",
        None,
    ),
]


DESCRIPTIONS = {
    "": "Rustig huis met een grote tuin. Wij halen en brengen in overleg.",
    "place": "Professionele logeerplek met vaste begeleiders; een slaapkamer per kind.",
    "flexible": "Een gezin met ruimte voor een vakantieweek of een langere adempauze. Aankomst- en "
    "vertrekdag spreken we samen af; minimaal 3 en hoogstens 10 dagen.",
}


def _friday(today):
    return today + timedelta(days=(4 - today.weekday()) % 7)


def _patterns(offer, pattern: str, today) -> None:
    from .services import add_pattern, local_dt

    until = today + timedelta(days=365)
    if pattern == "nightly":
        add_pattern(
            offer,
            start=local_dt(today, time(17)),
            end=local_dt(today + timedelta(days=1), time(12)),
            repeat="daily",
            until=until,
        )
    elif pattern in ("weekends", "fortnightly"):
        fri = _friday(today)
        add_pattern(
            offer,
            start=local_dt(fri, time(17)),
            end=local_dt(fri + timedelta(days=2), time(17)),
            repeat="weekly" if pattern == "weekends" else "fortnightly",
            until=until,
        )
    elif pattern == "wednesdays":
        wed = today + timedelta(days=(2 - today.weekday()) % 7)
        add_pattern(
            offer, start=local_dt(wed, time(12)), end=local_dt(wed, time(21)), repeat="weekly", until=until
        )
    elif pattern == "saturdays":
        sat = today + timedelta(days=(5 - today.weekday()) % 7)
        add_pattern(
            offer, start=local_dt(sat, time(8)), end=local_dt(sat, time(17)), repeat="weekly", until=until
        )
    elif pattern == "weekdays":
        for i in range(5):
            day = today + timedelta(days=(i - today.weekday()) % 7)
            add_pattern(
                offer, start=local_dt(day, time(8)), end=local_dt(day, time(17)), repeat="weekly", until=until
            )


def load(region, stdout=None) -> None:
    from thuisnet.accounts.models import Municipality, Organisation, User

    from . import services
    from .models import Offer, UnmetDemand, WorkingAgreement

    WorkingAgreement.objects.get_or_create(
        region=region,
        defaults={
            "max_nights_per_quarter": 12,
            "lead_time_hours": 48,
            "emergency_share": 25,
            "decision_hours": 48,
            "cancel_cutoff_hours": 24,
        },
    )
    today = timezone.localdate()
    _second_region(today, stdout)
    munis = {m.slug: m for m in Municipality.objects.filter(region=region)}
    created = {}
    for slug, title, kind, muni, pc4, ages, handles, cap, max_stay, pattern, host in OFFERS:
        provider = Organisation.objects.filter(slug=slug).first()
        if provider is None or muni not in munis:
            continue
        offer = Offer.objects.filter(provider=provider, title=title).first()
        if offer is not None:
            continue
        host_user = User.objects.filter(email=host).first() if host else None
        with transaction.atomic():
            offer = services.create_offer(
                provider,
                capacity=cap,
                kind=kind,
                title=title,
                municipality=munis[muni],
                postcode=pc4,
                age_min=ages[0],
                age_max=ages[1],
                handles=handles,
                max_stay=max_stay,
                min_stay=3 if kind == "flexible" else 2,
                min_notice_hours=24,
                host_user=host_user,
                description=DESCRIPTIONS.get(kind, DESCRIPTIONS[""]),
            )
            _patterns(offer, pattern, today)
        created[title] = offer
    if stdout:
        stdout.write(f"respite: {len(created)} offers added")
    if not created:
        return
    _bookings(created, today)
    if not UnmetDemand.objects.filter(region=region, source="empty_search").exists():
        for i, (kind, muni, band) in enumerate(
            [
                ("host_family", "zutphen", "12-15"),
                ("place", "epe", "8-11"),
                ("host_family", "deventer", "4-7"),
                ("support_family", "brummen", "8-11"),
            ]
            * 3
        ):
            start = today + timedelta(days=5 + i * 3)
            UnmetDemand.objects.create(
                region=region,
                source="empty_search",
                start=start,
                end=start + timedelta(days=2),
                units=2,
                age_band=band,
                kind=kind,
                municipality=munis.get(muni),
                needs=["behaviour"] if i % 2 else [],
            )


def _bookings(offers: dict, today) -> None:
    from thuisnet.accounts.models import User

    from . import services

    parents = {
        u.email: u
        for u in User.objects.filter(
            email__in=["pleegouder@thuisnet.example", "gezinshuisouder@thuisnet.example"]
        )
    }
    staff = {
        u.email: u
        for u in User.objects.filter(
            email__in=["medewerker@pleegzorg-ijsselland.example", "medewerker@veluwejeugdzorg.example"]
        )
    }
    jansen = parents.get("pleegouder@thuisnet.example")
    anker = parents.get("gezinshuisouder@thuisnet.example")
    if not jansen or not anker:
        return
    Child = services.Child
    plan = [
        # (offer, parent, days ahead, nights, child, outcome)
        ("Respijtplek Het IJsselhuis", jansen, 10, 2, Child("Oudste", 9, ["medical"]), "accepted"),
        ("Respijtplek Het IJsselhuis", jansen, 24, 1, Child("Jongste", 4, []), "requested"),
        ("Logeerhuis De Veluwe", jansen, 12, 2, Child("Oudste", 9, []), "declined"),
        ("Logeerhuis De Veluwe", anker, 16, 3, Child("T", 13, ["behaviour"]), "accepted"),
        ("Logeerhuis De Veluwe", anker, 30, 2, Child("T", 13, ["behaviour"]), "expired"),
        ("Logeerplek Gezinshuis De Linde", anker, 18, 1, Child("S", 11, ["trauma"]), "cancelled"),
        ("Logeerplek Gezinshuis De Linde", jansen, 20, 2, Child("Oudste", 9, []), "cancelled_by_provider"),
        ("Logeerplek Gezinshuis De Linde", anker, 40, 2, Child("S", 11, []), "requested"),
    ]
    for title, parent, ahead, nights, child, outcome in plan:
        offer = offers.get(title)
        if offer is None:
            continue
        start = today + timedelta(days=ahead)
        try:
            booking = services.request_booking(
                parent, offer, start=start, end=start + timedelta(days=nights), child=child
            )
        except services.RespiteError:
            continue
        decider = next(
            (s for s in staff.values() if s.memberships.filter(organisation_id=offer.provider_id).exists()),
            None,
        )
        if outcome == "accepted" and decider:
            services.accept(decider, booking)
        elif outcome == "declined" and decider:
            services.decline(decider, booking, "Op die dagen geen begeleider voor deze leeftijd.")
        elif outcome == "expired":
            with transaction.atomic():
                services._expire_one(booking, booking.decide_by + timedelta(minutes=1))
        elif outcome == "cancelled":
            services.cancel_by_parent(parent, booking)
        elif outcome == "cancelled_by_provider":
            # De Linde has no demo staff account: act as the system for the demo.
            services.cancel_by_provider(None, booking, "Het huis is die week gesloten wegens verbouwing.")


# The second demo region (thuisnet.core.demo.load_second_region): its own provider's offers,
# one offer of the provider that serves both regions, and a request by the region's parent.
SECOND_REGION_OFFERS = [
    ("jeugdzorg-achterhoek", "Logeerhuis De Slinge", "place", "doetinchem", "7001", 3, "nightly"),
    ("jeugdzorg-achterhoek", "Weekendgezin Aalten", "host_family", "aalten", "7121", 1, "weekends"),
    (
        "gezinshuizen-de-linde",
        "Logeerplek De Linde Winterswijk",
        "place",
        "winterswijk",
        "7101",
        2,
        "nightly",
    ),
]


def _second_region(today, stdout=None) -> None:
    from thuisnet.accounts.models import Municipality, Organisation, Region, User
    from thuisnet.core.demo import SECOND_REGION_SLUG

    from . import services
    from .models import Booking, Offer, WorkingAgreement

    region = Region.objects.filter(slug=SECOND_REGION_SLUG).first()
    if region is None:
        return
    WorkingAgreement.objects.get_or_create(region=region, defaults={"emergency_share": 0})
    munis = {m.slug: m for m in Municipality.objects.filter(region=region)}
    made = []
    for slug, title, kind, muni, pc4, cap, pattern in SECOND_REGION_OFFERS:
        provider = Organisation.objects.filter(slug=slug).first()
        if (
            provider is None
            or muni not in munis
            or Offer.objects.filter(provider=provider, title=title).exists()
        ):
            continue
        with transaction.atomic():
            offer = services.create_offer(
                provider,
                capacity=cap,
                kind=kind,
                title=title,
                municipality=munis[muni],
                postcode=pc4,
                age_min=0,
                age_max=17,
                handles=["behaviour", "lvb"],
                max_stay=3,
                min_notice_hours=24,
                description="Logeren in de Achterhoek, dichtbij huis.",
            )
            _patterns(offer, pattern, today)
        made.append(offer)
    parent = User.objects.filter(email="pleegouder@achterhoek.example").first()
    first = next((o for o in made if o.title == "Logeerhuis De Slinge"), None)
    if parent and first and not Booking.objects.filter(household=parent.household_id).exists():
        start = today + timedelta(days=14)
        child = services.Child("A1", 8, [])
        with contextlib.suppress(services.RespiteError):  # e.g. no free night: the demo goes on
            services.request_booking(parent, first, start=start, end=start + timedelta(days=2), child=child)
    if stdout:
        stdout.write(f"respite: {len(made)} offers added in {region.name}")
