"""Run inside the app's settings by the benchmark: find the targets and make the logins.

``python fixtures.py setup OUT_DIR`` prints one JSON object (URLs, ids, a coordinator's
session cookie, parents' API tokens in a file) and ``python fixtures.py check`` prints the
overbooking counts as JSON. Both only read the demo data, except for the bench parents, the
coordinator's session and API tokens, which they create.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from importlib import import_module
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = Path(os.environ.get("BENCH_APP_ROOT") or HERE.parents[1])
sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings_app")

N_PARENTS = 100  # households that book respite in the POST benchmark (each has a quarterly cap)


def _coordinator_cookie() -> str:
    """A session as after password and TOTP (how tests/conftest.py ``login`` does it)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from thuisnet.accounts.models import User

    user = User.objects.get(email="coordinator@thuisnet.example")
    Authenticator.objects.get_or_create(
        user=user,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": encrypt("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")}},
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["thuisnet_mfa_ok"] = True
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _parents(region) -> list[str]:
    """Verified households in the demo region, each with an API token."""
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from thuisnet.accounts.models import Household, Municipality, User

    munis = list(Municipality.objects.filter(region=region).order_by("pk"))
    template = User.objects.get(email="pleegouder@thuisnet.example")
    family_form = template.household.family_form if template.household_id else "foster"
    keys = []
    for i in range(N_PARENTS):
        email = f"bench-parent{i}@example.org"
        user = User.objects.filter(email=email).first()
        if user is None:
            hh = Household.objects.create(
                region=region,
                municipality=munis[i % len(munis)],
                family_form=family_form,
                display_name=f"Gezin Bench {i}",
                verified_at=timezone.now(),
            )
            user = User.objects.create_user(email, None, region=region, household=hh)
        keys.append(Token.objects.get_or_create(user=user)[0].key)
    return keys


def setup(out_dir: Path) -> dict:
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from foster.models import EveningPage, EveningSession, VacancyPage
    from knowledge.models import KnowledgeArticlePage
    from respite.models import Offer, Slot
    from thuisnet.accounts.models import User

    now = timezone.now()
    parent = User.objects.get(email="pleegouder@thuisnet.example")
    region = parent.region
    session = (
        EveningSession.objects.filter(
            page__live=True,
            page__region=region,
            starts_at__gt=now + timedelta(days=2),
            cancelled_at__isnull=True,
        )
        .order_by("-capacity", "starts_at")
        .first()
    )
    evening = EveningPage.objects.live().filter(pk=session.page_id).first() if session else None
    evening = evening or EveningPage.objects.live().first()
    article = KnowledgeArticlePage.objects.live().order_by("pk").first()
    vacancy = VacancyPage.objects.live().order_by("pk").first()
    today = timezone.localdate()
    # Offers inside the parents' region, by the night, that take a two-night stay.
    offers = list(
        Offer.objects.filter(is_active=True, municipality__region=region, max_stay__gte=2)
        .exclude(kind="support_family")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    tokens = _parents(region)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "tokens.txt").write_text("\n".join(tokens) + "\n")
    start = today + timedelta(days=14)
    return {
        "region": region.slug,
        "evening_url": evening.url if evening else None,
        "session_id": session.pk if session else None,
        "session_capacity": session.capacity if session else None,
        "article_url": article.url if article else None,
        "vacancy_url": vacancy.url if vacancy else None,
        "offers": offers,
        "slots": Slot.objects.filter(offer_id__in=offers, day__gte=today).count(),
        "offers_query": f"start={start}&end={start + timedelta(days=3)}",
        "parent_token": Token.objects.get_or_create(user=parent)[0].key,
        "tokens_file": str(out_dir / "tokens.txt"),
        "coordinator_cookie": _coordinator_cookie(),
    }


def check() -> dict:
    """Overbooking after the write benchmark, straight from SQL."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT count(*) FROM foster_eveningsession s
            WHERE s.held > s.capacity OR s.capacity < (
                SELECT coalesce(sum(r.attendees), 0) FROM foster_registration r
                WHERE r.session_id = s.id AND r.status IN ('confirmed', 'offered'))
            """
        )
        evenings = cur.fetchone()[0]
        cur.execute(
            """
            SELECT count(*) FROM respite_slot sl
            WHERE sl.held > sl.capacity OR sl.capacity < (
                SELECT count(*) FROM respite_bookingslot bs JOIN respite_booking b ON b.id = bs.booking_id
                WHERE bs.slot_id = sl.id AND b.status IN ('requested', 'accepted'))
            """
        )
        slots = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM foster_registration")
        registrations = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM respite_booking")
        bookings = cur.fetchone()[0]
    return {
        "overbooked_sessions": evenings,
        "overbooked_slots": slots,
        "registrations": registrations,
        "bookings": bookings,
    }


def main() -> None:
    import django

    django.setup()
    if sys.argv[1:2] == ["setup"]:
        print(json.dumps(setup(Path(sys.argv[2]))))
    elif sys.argv[1:2] == ["check"]:
        print(json.dumps(check()))
    else:
        sys.exit("usage: fixtures.py setup OUT_DIR | check")


if __name__ == "__main__":
    main()
