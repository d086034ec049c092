"""Shared fixtures: the demo region's shape, one user per role, signed-in clients, email.

App-specific fixtures live in ``tests/fixtures_<app>.py`` and are loaded below, so each
app's tests own their fixtures without editing this file.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail

pytest_plugins = [
    "tests.fixtures_foster",
    "tests.fixtures_placements",
    "tests.fixtures_respite",
    "tests.fixtures_knowledge",
    "tests.fixtures_matching",
]


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs DATABASE_URL pointing at PostgreSQL")
    for item in items:
        if "postgres" in item.keywords and not settings.DATABASE_IS_POSTGRES:
            item.add_marker(skip_pg)


@pytest.fixture(autouse=True)
def _dutch_interface():
    """Each test starts in Dutch: a request with the English cookie leaves English active in
    the thread (LocaleMiddleware does not switch back), which would leak into later tests."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.activate("nl")


@pytest.fixture
def region(db):
    from thuisnet.accounts.models import Region

    return Region.objects.create(name="Midden-IJssel/Oost-Veluwe", slug="midden-ijssel-oost-veluwe")


@pytest.fixture
def other_region(db):
    from thuisnet.accounts.models import Region

    return Region.objects.create(name="Achterhoek", slug="achterhoek")


@pytest.fixture
def municipalities(region):
    from thuisnet.accounts.models import Municipality

    names = [("Apeldoorn", "GM0200"), ("Deventer", "GM0150"), ("Zutphen", "GM0301"), ("Lochem", "GM0262")]
    return {
        n.lower(): Municipality.objects.create(region=region, name=n, slug=n.lower(), cbs_code=c)
        for n, c in names
    }


@pytest.fixture
def postcodes(municipalities):
    from thuisnet.core.geo import DEMO_FILE, import_file

    import_file(DEMO_FILE)


@pytest.fixture
def provider(region, municipalities):
    from thuisnet.accounts.models import Organisation

    return Organisation.objects.create(
        region=region,
        kind="provider",
        name="Pleegzorg IJsselland",
        slug="pleegzorg-ijsselland",
        municipality=municipalities["deventer"],
        email="info@pleegzorg.example",
    )


@pytest.fixture
def other_provider(region, municipalities):
    from thuisnet.accounts.models import Organisation

    return Organisation.objects.create(
        region=region,
        kind="provider",
        name="Veluwe Jeugdzorg",
        slug="veluwe-jeugdzorg",
        municipality=municipalities["apeldoorn"],
    )


@pytest.fixture
def region_org(region):
    from thuisnet.accounts.models import Organisation

    return Organisation.objects.create(region=region, kind="region", name="Regio MIJOV", slug="regio-mijov")


def _verified(user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _make_user(email, region, **extra):
    from thuisnet.accounts.models import User

    return _verified(
        User.objects.create_user(
            email=email,
            password="Geheim-wachtwoord-1",
            region=region,
            full_name=extra.pop("full_name", email.split("@")[0]),
            **extra,
        )
    )


def _household(region, municipality, form, name, provider=None, verified=True):
    from django.utils import timezone

    from thuisnet.accounts.models import Household

    return Household.objects.create(
        region=region,
        municipality=municipality,
        family_form=form,
        display_name=name,
        postcode="7415",
        provider=provider,
        verified_at=timezone.now() if verified else None,
    )


@pytest.fixture
def parent(region, municipalities, provider):
    """A verified foster parent (pleegouder) in Deventer."""
    user = _make_user("pleegouder@example.org", region, full_name="Jeroen Jansen")
    user.household = _household(region, municipalities["deventer"], "foster", "Gezin Jansen", provider)
    user.save()
    return user


@pytest.fixture
def support_parent(region, municipalities, other_provider):
    user = _make_user("steunouder@example.org", region, full_name="Fatima Bakker")
    user.household = _household(
        region, municipalities["apeldoorn"], "support", "Gezin Bakker", other_provider
    )
    user.save()
    return user


@pytest.fixture
def family_home_parent(region, municipalities, provider):
    user = _make_user("gezinshuis@example.org", region, full_name="Wim de Boer")
    user.household = _household(
        region, municipalities["zutphen"], "family_home", "Gezinshuis Het Anker", provider
    )
    user.save()
    return user


@pytest.fixture
def staff(provider):
    """Provider staff of ``provider`` (expert and moderator)."""
    from thuisnet.accounts.models import Membership

    user = _make_user("medewerker@pleegzorg.example", provider.region, full_name="Sanne Smit")
    Membership.objects.create(
        user=user, organisation=provider, role="staff", is_expert=True, is_moderator=True
    )
    return user


@pytest.fixture
def other_staff(other_provider):
    from thuisnet.accounts.models import Membership

    user = _make_user("medewerker@veluwe.example", other_provider.region, full_name="Mehmet Yilmaz")
    Membership.objects.create(user=user, organisation=other_provider, role="staff")
    return user


@pytest.fixture
def coordinator(region_org):
    from thuisnet.accounts.models import Membership

    user = _make_user("coordinator@regio.example", region_org.region, full_name="Carla Coördinator")
    Membership.objects.create(user=user, organisation=region_org, role="coordinator")
    return user


@pytest.fixture
def editor(region):
    from django.contrib.auth.models import Group

    user = _make_user("redacteur@example.org", region, full_name="Ruben Redactie")
    user.groups.add(Group.objects.get_or_create(name="Editors")[0])
    return user


@pytest.fixture
def admin_user(region):
    from thuisnet.accounts.models import User

    return _verified(
        User.objects.create_superuser(
            email="admin@example.org", password="Geheim-wachtwoord-1", region=region, full_name="Anouk Beheer"
        )
    )


@pytest.fixture
def outsider(region):
    """Signed up, verified email, but no household and no membership."""
    return _make_user("iemand@example.org", region, full_name="Iemand Anders")


@pytest.fixture
def login(client):
    """``login(user)`` signs the test client in, second factor done, and returns it."""

    def _login(user, c=None):
        c = c or client
        from thuisnet.accounts.roles import forget_roles, requires_mfa

        if requires_mfa(user):
            # Staff need an authenticator for their session to count (as in real life).
            _give_totp(user)
        forget_roles(user)
        c.force_login(user)
        session = c.session
        session["thuisnet_mfa_ok"] = True  # as after a successful TOTP step
        session.save()
        return c

    return _login


@pytest.fixture
def sent_mail(settings):
    """Call ``sent_mail()`` to run the outbox (as the worker does) and get what was sent."""
    from thuisnet.core.mail import send_pending

    def _flush():
        while send_pending(limit=500)["sent"]:
            pass
        return list(mail.outbox)

    return _flush


@pytest.fixture
def home_page(db):
    """A published Wagtail HomePage as the default site's root."""
    from wagtail.models import Page, Site

    from thuisnet.home.models import HomePage

    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(
            title="Thuisnet",
            slug="thuisnet-home",
            intro_title="Ieder kind een thuis, dichtbij",
            intro="<p>Welkom bij Thuisnet.</p>",
        )
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "site_name": "Thuisnet"}
    )
    return home


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters and throttles live in the (process-wide) cache: each test starts
    with none, so limits reached by one test never refuse requests of the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def with_totp():
    """``with_totp(user)`` gives ``user`` a TOTP authenticator (secret ``TOTP_SECRET``), as
    staff need before their API tokens count; returns the user."""
    return _give_totp


def _give_totp(user):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(TOTP_SECRET)}}
    )
    return user


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


# ---------------------------------------------------------------- two regions (policies-a)


@pytest.fixture
def region_b_world(other_region):
    """The second region ("Achterhoek"): two municipalities, a provider, its staff, a
    coordinator and a verified parent. Returns a dict of them."""
    from thuisnet.accounts.models import Membership, Municipality, Organisation

    munis = {
        n.lower(): Municipality.objects.create(region=other_region, name=n, slug=n.lower(), cbs_code=c)
        for n, c in [("Doetinchem", "GM0222"), ("Winterswijk", "GM0294")]
    }
    provider_b = Organisation.objects.create(
        region=other_region,
        kind="provider",
        name="Achterhoek Jeugdzorg",
        slug="achterhoek-jeugdzorg",
        municipality=munis["doetinchem"],
    )
    org_b = Organisation.objects.create(
        region=other_region, kind="region", name="Regio Achterhoek", slug="regio-achterhoek"
    )
    staff_b = _make_user("medewerker@achterhoek.example", other_region, full_name="Bram Bos")
    Membership.objects.create(user=staff_b, organisation=provider_b, role="staff")
    coordinator_b = _make_user("coordinator@achterhoek.example", other_region, full_name="Dana Dijk")
    Membership.objects.create(user=coordinator_b, organisation=org_b, role="coordinator")
    parent_b = _make_user("ouder@achterhoek.example", other_region, full_name="Eva Evers")
    parent_b.household = _household(other_region, munis["doetinchem"], "foster", "Gezin Evers", provider_b)
    parent_b.save()
    return {
        "region": other_region,
        "municipalities": munis,
        "provider": provider_b,
        "staff": staff_b,
        "coordinator": coordinator_b,
        "parent": parent_b,
    }


@pytest.fixture
def dual_provider(region, municipalities, region_b_world):
    """A provider registered in the first region that also serves the second, with staff."""
    from thuisnet.accounts.models import Membership, Organisation

    org = Organisation.objects.create(
        region=region,
        kind="provider",
        name="Gezinshuizen Oost",
        slug="gezinshuizen-oost",
        municipality=municipalities["zutphen"],
    )
    org.served_regions.add(region_b_world["region"])
    user = _make_user("medewerker@gezinshuizen-oost.example", region, full_name="Gijs Oost")
    Membership.objects.create(user=user, organisation=org, role="staff")
    org.staff_user = user
    return org


@pytest.fixture
def respite_world(
    provider,
    other_provider,
    municipalities,
    agreement,
    region_b_world,
    dual_provider,
    parent,
    support_parent,
    family_home_parent,
):
    """A populated respite database over two regions: offers of four providers (one of them
    serving both regions), a host-family offer, an inactive offer, and bookings in every
    status, including scrubbed ones and stays long past. Built directly (no ledgers)."""
    from datetime import time, timedelta

    from django.utils import timezone

    from respite import services
    from respite.models import BlockedDate, Booking, Offer

    b = region_b_world
    today = timezone.localdate()

    def offer(org, title, muni, kind="place", **kw):
        return Offer.objects.create(
            provider=org, kind=kind, title=title, municipality=muni, postcode="7411", **kw
        )

    offers = {
        "a": offer(provider, "Logeerhuis De Linde", municipalities["deventer"]),
        "host": offer(
            provider,
            "Weekendgezin Zutphen",
            municipalities["zutphen"],
            "host_family",
            host_user=support_parent,
        ),
        "inactive": offer(provider, "Oud aanbod", municipalities["lochem"], is_active=False),
        "other": offer(other_provider, "Veluwe Logeerhuis", municipalities["apeldoorn"]),
        "b": offer(b["provider"], "Logeerhuis Doetinchem", b["municipalities"]["doetinchem"]),
        "dual_a": offer(dual_provider, "Gezinshuis Zutphen", municipalities["zutphen"]),
        "dual_b": offer(dual_provider, "Gezinshuis Winterswijk", b["municipalities"]["winterswijk"]),
    }
    BlockedDate.objects.create(offer=offers["a"], day=today + timedelta(days=3))
    BlockedDate.objects.create(offer=offers["b"], day=today + timedelta(days=3))
    BlockedDate.objects.create(offer=offers["host"], day=today + timedelta(days=4))
    services.add_pattern(
        offers["host"],
        start=services.local_dt(today, time(17)),
        end=services.local_dt(today + timedelta(days=1), time(17)),
        repeat="weekly",
    )
    households = {
        "a": [parent, family_home_parent],
        "host": [parent],
        "inactive": [family_home_parent],
        "other": [support_parent],
        "b": [b["parent"]],
        "dual_a": [parent],
        "dual_b": [b["parent"]],
    }
    bookings = []
    n = 0
    for key, o in offers.items():
        for who in households[key]:
            for status in Booking.Status.values:
                n += 1
                bookings.append(
                    Booking(
                        offer=o,
                        household=who.household,
                        requested_by=who,
                        start=today + timedelta(days=10 + n % 20),
                        end=today + timedelta(days=11 + n % 20),
                        child_ref=f"K{n}",
                        child_age=9,
                        age_band="8-11",
                        needs=["behaviour"],
                        notes="Slaapt met een knuffel.",
                        status=status,
                        decide_by=timezone.now() + timedelta(hours=48),
                    )
                )
        # An accepted stay just past (child still visible) and one long past (no longer).
        for days_ago in (10, 45):
            n += 1
            bookings.append(
                Booking(
                    offer=o,
                    household=households[key][0].household,
                    start=today - timedelta(days=days_ago + 1),
                    end=today - timedelta(days=days_ago),
                    child_ref=f"K{n}",
                    child_age=9,
                    age_band="8-11",
                    status="accepted",
                    decide_by=timezone.now(),
                )
            )
        n += 1
        bookings.append(  # scrubbed: only counts remain
            Booking(
                offer=o,
                household=households[key][0].household,
                start=today - timedelta(days=41),
                end=today - timedelta(days=40),
                age_band="8-11",
                status="accepted",
                decide_by=timezone.now(),
                scrubbed_at=timezone.now(),
            )
        )
    Booking.objects.bulk_create(bookings)
    return {"offers": offers, **{f"b_{k}": v for k, v in b.items()}, "dual": dual_provider}
