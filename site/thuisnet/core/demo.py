"""The demo regions: municipalities, providers, one user per role, the home page.

A second, smaller region (Achterhoek) with its own provider, staff, coordinator and parent
shows that nothing leaks between regions; the provider Gezinshuizen De Linde serves both.

Demo staff accounts have a fixed TOTP secret (``DEMO_TOTP_SECRET``) so a newcomer can
log in with any authenticator app, or compute codes with ``manage.py demo_totp``.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import Group
from django.utils import timezone

from thuisnet.accounts.models import (
    FamilyForm,
    Household,
    Membership,
    Municipality,
    Organisation,
    Region,
    User,
)

REGION_SLUG = "midden-ijssel-oost-veluwe"
PASSWORD = "Thuisnet-demo-2026"
# Base32 secret for the demo staff accounts' authenticator (never use outside the demo).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

MUNICIPALITIES = [
    ("Apeldoorn", "apeldoorn", "GM0200"),
    ("Brummen", "brummen", "GM0213"),
    ("Deventer", "deventer", "GM0150"),
    ("Epe", "epe", "GM0232"),
    ("Heerde", "heerde", "GM0246"),
    ("Lochem", "lochem", "GM0262"),
    ("Voorst", "voorst", "GM0285"),
    ("Zutphen", "zutphen", "GM0301"),
]
PROVIDERS = [
    ("Pleegzorg IJsselland", "pleegzorg-ijsselland", "deventer", "info@pleegzorg-ijsselland.example"),
    ("Veluwe Jeugdzorg", "veluwe-jeugdzorg", "apeldoorn", "info@veluwejeugdzorg.example"),
    ("Gezinshuizen De Linde", "gezinshuizen-de-linde", "zutphen", "info@delinde.example"),
]

# The second region: its municipalities (with a postcode area each for distance search).
SECOND_REGION_SLUG = "achterhoek"
SECOND_MUNICIPALITIES = [
    ("Doetinchem", "doetinchem", "GM0222", "7001", 51.965, 6.289),
    ("Winterswijk", "winterswijk", "GM0294", "7101", 51.972, 6.720),
    ("Aalten", "aalten", "GM0197", "7121", 51.925, 6.581),
]
# A provider of the first region that also works in the second.
BOTH_REGIONS_PROVIDER = "gezinshuizen-de-linde"

LOGINS = [
    ("admin@thuisnet.example", "beheerder (administrator)"),
    ("redacteur@thuisnet.example", "redacteur (CMS)"),
    ("moderator@thuisnet.example", "moderator (CMS): keurt goed wat redacteuren insturen"),
    ("coordinator@thuisnet.example", "regiocoördinator"),
    ("medewerker@pleegzorg-ijsselland.example", "medewerker aanbieder (Pleegzorg IJsselland)"),
    ("medewerker@veluwejeugdzorg.example", "medewerker aanbieder (Veluwe Jeugdzorg)"),
    ("pleegouder@thuisnet.example", "pleegouder (Gezin Jansen, Deventer)"),
    ("steunouder@thuisnet.example", "steunouder (Gezin Bakker, Apeldoorn)"),
    ("gezinshuisouder@thuisnet.example", "gezinshuisouder (Gezinshuis Het Anker, Zutphen)"),
    (
        "medewerker@delinde.example",
        "medewerker aanbieder in beide regio's (Gezinshuizen De Linde), coach startpad",
    ),
    ("startgezinshuis@thuisnet.example", "startende gezinshuisouder, stap 4 (Gezinshuis De Wilg, Zutphen)"),
    ("startgezinshuis2@thuisnet.example", "startende gezinshuisouder, stap 2"),
    ("startgezinshuis3@thuisnet.example", "startende gezinshuisouder, stap 7, staat stil"),
    ("coordinator@achterhoek.example", "regiocoördinator tweede regio (Achterhoek)"),
    ("medewerker@jeugdzorg-achterhoek.example", "medewerker aanbieder tweede regio (Jeugdzorg Achterhoek)"),
    ("pleegouder@achterhoek.example", "pleegouder tweede regio (Gezin Hendriks, Doetinchem)"),
]


def _user(email: str, full_name: str, region: Region, **extra) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "region": region, **extra}
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _totp(user: User) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(DEMO_TOTP_SECRET)}}
    )


def load_foundation(stdout=None) -> Region:
    region, _ = Region.objects.get_or_create(slug=REGION_SLUG, defaults={"name": "Midden-IJssel/Oost-Veluwe"})
    munis = {}
    for name, slug, code in MUNICIPALITIES:
        munis[slug], _ = Municipality.objects.get_or_create(
            region=region, slug=slug, defaults={"name": name, "cbs_code": code}
        )
    from thuisnet.core.geo import DEMO_FILE, import_file
    from thuisnet.core.models import PostcodeArea

    if not PostcodeArea.objects.exists():
        import_file(DEMO_FILE)

    regio, _ = Organisation.objects.get_or_create(
        slug="regio-midden-ijssel-oost-veluwe",
        defaults={
            "name": "Jeugdhulpregio Midden-IJssel/Oost-Veluwe",
            "kind": "region",
            "region": region,
            "email": "jeugd@regio-mijov.example",
        },
    )
    providers = {}
    for name, slug, muni, email in PROVIDERS:
        providers[slug], _ = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": "provider",
                "region": region,
                "municipality": munis[muni],
                "email": email,
            },
        )
    for name, slug, _code in MUNICIPALITIES[:3]:
        Organisation.objects.get_or_create(
            slug=f"gemeente-{slug}",
            defaults={
                "name": f"Gemeente {name}",
                "kind": "municipality",
                "region": region,
                "municipality": munis[slug],
            },
        )

    admin = _user("admin@thuisnet.example", "Anouk Beheer", region, is_superuser=True, is_staff=True)
    editor = _user("redacteur@thuisnet.example", "Ruben Redactie", region)
    editors, _ = Group.objects.get_or_create(name="Editors")
    editor.groups.add(editors)
    # The demo moderator approves what editors submit ("Controle door moderator", the workflow
    # Wagtail starts every page in); without one only the administrator could approve.
    moderator = _user("moderator@thuisnet.example", "Mila Moderator", region)
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderator.groups.add(moderators)
    coordinator = _user("coordinator@thuisnet.example", "Carla Coördinator", region)
    Membership.objects.get_or_create(user=coordinator, organisation=regio, defaults={"role": "coordinator"})
    staff1 = _user("medewerker@pleegzorg-ijsselland.example", "Sanne Smit", region)
    Membership.objects.get_or_create(
        user=staff1,
        organisation=providers["pleegzorg-ijsselland"],
        defaults={"role": "staff", "is_expert": True, "is_moderator": True},
    )
    staff2 = _user("medewerker@veluwejeugdzorg.example", "Mehmet Yilmaz", region)
    Membership.objects.get_or_create(
        user=staff2, organisation=providers["veluwe-jeugdzorg"], defaults={"role": "staff", "is_expert": True}
    )
    for user in (admin, editor, moderator, coordinator, staff1, staff2):
        _totp(user)

    now = timezone.now()
    families = [
        (
            "pleegouder@thuisnet.example",
            "Jeroen Jansen",
            "Gezin Jansen",
            FamilyForm.FOSTER,
            "deventer",
            "7415",
            "pleegzorg-ijsselland",
            date(2016, 3, 1),
        ),
        (
            "steunouder@thuisnet.example",
            "Fatima Bakker",
            "Gezin Bakker",
            FamilyForm.SUPPORT,
            "apeldoorn",
            "7322",
            "veluwe-jeugdzorg",
            date(2024, 9, 1),
        ),
        (
            "gezinshuisouder@thuisnet.example",
            "Wim de Boer",
            "Gezinshuis Het Anker",
            FamilyForm.FAMILY_HOME,
            "zutphen",
            "7203",
            "gezinshuizen-de-linde",
            date(2012, 1, 15),
        ),
    ]
    for email, full_name, household_name, form, muni, pc4, provider, since in families:
        user = _user(email, full_name, region)
        if user.household_id is None:
            user.household = Household.objects.create(
                region=region,
                municipality=munis[muni],
                family_form=form,
                display_name=household_name,
                postcode=pc4,
                provider=providers[provider],
                parent_since=since,
                verified_at=now,
            )
            user.save(update_fields=["household"])

    _home_page(region)
    load_second_region(providers[BOTH_REGIONS_PROVIDER], stdout=stdout)
    return region


def load_second_region(both_regions_provider: Organisation | None = None, stdout=None) -> Region:
    """The Achterhoek: a region with its own provider, staff, coordinator and a parent.

    ``both_regions_provider`` (of the first region) also serves this one; its staff member
    sees the offers and bookings of both regions, while each region sees only its own.
    """
    from thuisnet.core.models import PostcodeArea

    region, _ = Region.objects.get_or_create(slug=SECOND_REGION_SLUG, defaults={"name": "Achterhoek"})
    munis = {}
    for name, slug, code, pc4, lat, lon in SECOND_MUNICIPALITIES:
        munis[slug], _ = Municipality.objects.get_or_create(
            region=region, slug=slug, defaults={"name": name, "cbs_code": code}
        )
        PostcodeArea.objects.get_or_create(
            pc4=pc4, defaults={"latitude": lat, "longitude": lon, "municipality": munis[slug]}
        )
    regio, _ = Organisation.objects.get_or_create(
        slug="regio-achterhoek",
        defaults={"name": "Jeugdhulpregio Achterhoek", "kind": "region", "region": region},
    )
    provider, _ = Organisation.objects.get_or_create(
        slug="jeugdzorg-achterhoek",
        defaults={
            "name": "Jeugdzorg Achterhoek",
            "kind": "provider",
            "region": region,
            "municipality": munis["doetinchem"],
            "email": "info@jeugdzorg-achterhoek.example",
        },
    )
    coordinator = _user("coordinator@achterhoek.example", "Dana Dijkman", region)
    Membership.objects.get_or_create(user=coordinator, organisation=regio, defaults={"role": "coordinator"})
    staff = _user("medewerker@jeugdzorg-achterhoek.example", "Bram Bosman", region)
    Membership.objects.get_or_create(
        user=staff, organisation=provider, defaults={"role": "staff", "is_expert": True}
    )
    for user in (coordinator, staff):
        _totp(user)
    if both_regions_provider is not None:
        both_regions_provider.served_regions.add(region)
        both = _user("medewerker@delinde.example", "Lotte Linde", both_regions_provider.region)
        Membership.objects.get_or_create(
            user=both, organisation=both_regions_provider, defaults={"role": "staff"}
        )
        _totp(both)
    parent = _user("pleegouder@achterhoek.example", "Eva Hendriks", region)
    if parent.household_id is None:
        parent.household = Household.objects.create(
            region=region,
            municipality=munis["doetinchem"],
            family_form=FamilyForm.FOSTER,
            display_name="Gezin Hendriks",
            postcode="7001",
            provider=provider,
            parent_since=date(2019, 5, 1),
            verified_at=timezone.now(),
        )
        parent.save(update_fields=["household"])
    if stdout:
        stdout.write(f"tweede regio: {region.name}")
    return region


def _home_page(region: Region) -> None:
    from wagtail.models import Page, Site

    from thuisnet.home.models import FooterSettings, HomePage

    if HomePage.objects.exists():
        return
    root = Page.get_first_root_node()
    home = HomePage(
        title="Thuisnet",
        slug="thuisnet",
        intro_title="Ieder kind een thuis, dichtbij",
        intro=(
            "<p>In Midden-IJssel/Oost-Veluwe zoeken we gezinnen die een kind een veilige plek "
            "geven: als pleeggezin, als steungezin of als gezinshuis. En we zorgen samen dat "
            "die gezinnen het volhouden. Thuisnet is de plek van het netwerk: voor wie "
            "overweegt om te beginnen, en voor wie er al middenin zit.</p>"
        ),
        cards=[
            (
                "card",
                {
                    "title": "Kom naar een informatieavond",
                    "text": "Twee keer per jaar een gezamenlijke wervingsavond, en elke maand "
                    "online. Aanmelden kan in een minuut, zonder account.",
                    "link_url": "/avonden/",
                    "link_text": "Bekijk de avonden",
                },
            ),
            (
                "card",
                {
                    "title": "Even op adem komen",
                    "text": "Respijtopvang: een weekendgezin, een steungezin of een plek in "
                    "een gezinshuis. Zoek wat er vrij is en vraag het direct aan.",
                    "link_url": "/respijt/",
                    "link_text": "Zoek respijtopvang",
                },
            ),
            (
                "card",
                {
                    "title": "Vragen aan ouders die het kennen",
                    "text": "Over vergoedingen, school, contact met ouders of gedrag. "
                    "Antwoorden van ervaren ouders, gecontroleerd door deskundigen.",
                    "link_url": "/kennis/",
                    "link_text": "Naar de kennisbank",
                },
            ),
            (
                "card",
                {
                    "title": "Zoeken",
                    "text": "Zoek in één keer in de avonden, de kennisbank en de vragen.",
                    "link_url": "/zoeken/",
                    "link_text": "Zoek op Thuisnet",
                },
            ),
        ],
        body=(
            "<h2>Waarom dit netwerk?</h2><p>Kinderen die niet thuis kunnen wonen, groeien het "
            "liefst op in een gezin. In onze regio zijn te weinig pleeggezinnen, steungezinnen "
            "en gezinshuizen, en respijtopvang is schaars. Te veel plaatsingen stoppen eerder "
            "dan gepland. De acht gemeenten en de zorgaanbieders werken daarom samen: we werven "
            "samen, delen kennis, verdelen de respijtopvang eerlijk en houden bij hoe het gaat.</p>"
            "<h2>Je gegevens</h2><p>We bewaren zo weinig mogelijk. Van kinderen nooit een naam, "
            "adres of burgerservicenummer: alleen een leeftijdsgroep en wat nodig is voor "
            "een goede opvang.</p>"
        ),
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    old_root = site.root_page if site else None
    if site:
        site.root_page = home
        site.site_name = "Thuisnet"
        site.save()
    else:
        site = Site.objects.create(
            hostname="localhost", root_page=home, is_default_site=True, site_name="Thuisnet"
        )
    if old_root and old_root.pk != home.pk and old_root.depth == 2 and not old_root.get_children():
        old_root.delete()
    FooterSettings.objects.update_or_create(
        site=site, defaults={"contact_email": "info@thuisnet.example", "contact_phone": "055 123 45 67"}
    )


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for ``secret``."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))
