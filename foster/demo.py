"""Demo data for foster, called by `manage.py load_demo`. Idempotent: pages are looked up by
slug and registrations are only added to a session that has none."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

FIRST_NAMES = [
    "Anna",
    "Bas",
    "Chantal",
    "Daan",
    "Eva",
    "Femke",
    "Gijs",
    "Hanna",
    "Iris",
    "Joost",
    "Kim",
    "Lars",
    "Mirjam",
    "Noor",
    "Omar",
    "Petra",
    "Quinten",
    "Rosa",
    "Sem",
    "Tessa",
    "Umut",
    "Vera",
    "Wouter",
    "Yara",
]
LAST_NAMES = [
    "de Vries",
    "Jansen",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
]
POSTCODES = ["7411", "7415", "7311", "7322", "7201", "7203", "7241", "8161", "6961", "7383"]


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    from thuisnet.core.ics import AMSTERDAM

    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def _person(i: int) -> tuple[str, str, str]:
    name = f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i * 7) % len(LAST_NAMES)]}"
    email = f"aspirant{i}@voorbeeld.example"
    return name, email, POSTCODES[i % len(POSTCODES)]


def load(region, stdout=None) -> None:
    from thuisnet.accounts.models import Membership, Municipality, Organisation
    from thuisnet.core.models import OutboxEmail
    from thuisnet.home.models import HomePage

    from . import services
    from .models import EveningIndexPage, EveningPage, VacancyPage

    home = HomePage.objects.first()
    if home is None:
        return
    before = OutboxEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    munis = {m.slug: m for m in Municipality.objects.filter(region=region)}
    orgs = {o.slug: o for o in Organisation.objects.filter(region=region, kind="provider")}
    # The demo provider staff organise evenings for their provider.
    Membership.objects.filter(organisation__in=orgs.values(), role="staff").update(is_organiser=True)

    index = EveningIndexPage.objects.filter(slug="informatieavonden").first()
    if index is None:
        index = EveningIndexPage(
            title="Informatieavonden",
            slug="informatieavonden",
            intro="<p>Wil je weten wat pleegouder, steunouder of gezinshuisouder zijn "
            "inhoudt? Kom naar een avond, stel je vragen aan ervaren ouders en "
            "medewerkers. Aanmelden kan zonder account.</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish()

    vacancy = VacancyPage.objects.filter(slug="jongen-9-houdt-van-voetbal").first()
    if vacancy is None:
        vacancy = VacancyPage(
            title="Een jongen van 9 die van voetbal houdt zoekt een pleeggezin",
            slug="jongen-9-houdt-van-voetbal",
            region=region,
            age_band="8-11",
            siblings=1,
            interests="Voetbal (hij traint twee keer per week), Lego en buiten spelen met de "
            "hond van de buren.",
            needs="Een rustig gezin met vaste dagritmes, dat tijd heeft voor school en "
            "voetbal. Contact met zijn moeder één keer per maand, begeleid.",
            municipality=munis["zutphen"],
            family_form="full_time",
            provider=orgs["pleegzorg-ijsselland"],
        )
        index.add_child(instance=vacancy)
        vacancy.save_revision().publish()

    evenings = [
        dict(
            slug="wervingsavond-voorjaar",
            title="Gezamenlijke wervingsavond: word pleegouder",
            is_joint=True,
            starts_at=_at(20, 19, 30),
            ends_at=_at(20, 21, 30),
            capacity=40,
            venue="Schouwburg Deventer, foyer",
            address="Leeuwenbrug 88, 7411 TJ Deventer",
            municipality=munis["deventer"],
            mode="in_person",
            accessibility="Rolstoeltoegankelijk, lift aanwezig, ringleiding in de zaal.",
            family_forms=["full_time", "part_time", "weekend", "support", "family_home"],
            organisers=list(orgs.values()),
            registrations=19,
            intro="<p>Alle zorgaanbieders van de regio samen: ervaren pleegouders, "
            "steunouders en gezinshuisouders vertellen hoe het echt is.</p>",
        ),
        dict(
            slug="informatieavond-apeldoorn",
            title="Informatieavond pleegzorg Apeldoorn",
            starts_at=_at(9, 19, 30),
            ends_at=_at(9, 21, 0),
            capacity=25,
            venue="Wijkcentrum De Mheen",
            address="Kruisweg 40, 7322 AB Apeldoorn",
            municipality=munis["apeldoorn"],
            mode="in_person",
            accessibility="Gelijkvloers; invalidenparkeerplaats voor de deur.",
            family_forms=["full_time", "part_time", "weekend"],
            organisers=[orgs["veluwe-jeugdzorg"]],
            registrations=6,
            intro="<p>Een avond over voltijd-, deeltijd- en weekendpleegzorg.</p>",
        ),
        dict(
            slug="steungezin-worden-zutphen",
            title="Steungezin worden: avond in Zutphen",
            starts_at=_at(34, 20, 0),
            ends_at=_at(34, 21, 30),
            capacity=20,
            venue="Bibliotheek Zutphen",
            address="Broederenkerkplein 1, 7201 ZK Zutphen",
            municipality=munis["zutphen"],
            mode="in_person",
            accessibility="Rolstoeltoegankelijk.",
            family_forms=["support", "weekend"],
            organisers=[orgs["pleegzorg-ijsselland"]],
            registrations=3,
            vacancies=[vacancy],
            intro="<p>Eén dag per week of per twee weken een kind in huis, zodat de ouders "
            "op adem komen.</p>",
        ),
        dict(
            slug="online-informatieavond",
            title="Online informatieavond (elke maand)",
            starts_at=_at(14, 20, 0),
            ends_at=_at(14, 21, 0),
            capacity=100,
            mode="online",
            online_url="https://meet.example/thuisnet-informatieavond",
            repeat="MONTHLY_WD",  # the same weekday each month, e.g. every second Wednesday
            repeat_until=(timezone.localdate() + timedelta(days=14 + 240)),
            family_forms=["full_time", "part_time", "weekend", "support", "family_home"],
            organisers=[orgs["pleegzorg-ijsselland"], orgs["veluwe-jeugdzorg"]],
            registrations=4,
            intro="<p>Elke maand een uur online: vanuit je eigen huiskamer kennismaken.</p>",
        ),
        dict(
            slug="wervingsavond-najaar",
            title="Gezamenlijke wervingsavond najaar",
            is_joint=True,
            starts_at=_at(-60, 19, 30),
            ends_at=_at(-60, 21, 30),
            capacity=50,
            venue="Orpheus, kleine zaal",
            address="Churchillplein 1, 7314 BZ Apeldoorn",
            municipality=munis["apeldoorn"],
            mode="in_person",
            family_forms=["full_time", "part_time", "weekend", "support", "family_home"],
            organisers=list(orgs.values()),
            registrations=16,
            past=True,
        ),
    ]
    offset = 0
    for spec in evenings:
        n = spec.pop("registrations")
        past = spec.pop("past", False)
        organisers = spec.pop("organisers")
        vacancies = spec.pop("vacancies", [])
        page = EveningPage.objects.filter(slug=spec["slug"]).first()
        if page is None:
            page = EveningPage(region=region, deadline_hours=24, **spec)
            index.add_child(instance=page)
            page.organisers.set(organisers)
            page.vacancies.set(vacancies)
            page.save_revision().publish()
        session = page.sessions.order_by("starts_at").first()
        if session is None or session.registrations.exists():
            offset += n
            continue
        when = session.starts_at - timedelta(days=14) if past else None
        for i in range(n):
            name, email, pc4 = _person(offset + i)
            forms = [spec["family_forms"][i % len(spec["family_forms"])]]
            services.register(
                session,
                services.RegistrationData(
                    name=name,
                    email=email,
                    attendees=2 if i % 3 != 2 or spec.get("is_joint") else 1,
                    interests=forms,
                    source=["website", "social", "friend", "press"][i % 4],
                    postcode=pc4,
                    phone=f"06 1234 56{i % 100:02d}",
                ),
                now=when,
            )
        if past:
            _past_funnel(session, services)
        offset += n
    _thank_you_event(region, index, munis, orgs, services)
    # Whoever asked for the demo does not want a pile of mail to made-up addresses.
    OutboxEmail.objects.filter(pk__gt=before, sent_at__isnull=True).delete()
    if stdout:
        stdout.write(
            f"foster: {EveningPage.objects.count()} evenings, {VacancyPage.objects.count()} vacancies"
        )


def _past_funnel(session, services) -> None:
    """Check most people in, then move their prospects along the funnel."""
    from .models import Prospect, Stage

    regs = list(session.registrations.filter(status="confirmed").order_by("pk"))
    start = session.starts_at
    for reg in regs[:13]:
        services.check_in(reg, now=start + timedelta(minutes=5))
    prospects = list(
        Prospect.objects.filter(email__in=[r.email for r in regs[:13]], stage=Stage.ATTENDED).order_by("pk")
    )
    plan = [
        [Stage.CONVERSATION, Stage.COURSE, Stage.ASSESSMENT, Stage.APPROVED],
        [Stage.CONVERSATION, Stage.COURSE, Stage.ASSESSMENT, Stage.APPROVED],
        [Stage.CONVERSATION, Stage.COURSE, Stage.ASSESSMENT],
        [Stage.CONVERSATION, Stage.COURSE, Stage.ASSESSMENT],
        [Stage.CONVERSATION, Stage.COURSE],
        [Stage.CONVERSATION, Stage.COURSE],
        [Stage.CONVERSATION, Stage.WITHDRAWN],
        [Stage.CONVERSATION],
        [Stage.CONVERSATION],
        [Stage.CONVERSATION, Stage.NOT_SUITABLE],
        [],  # attended, never called: shows the 2-working-day flag
        [],
    ]
    base = timezone.localdate(start)
    for p, steps in zip(prospects, plan, strict=False):
        for k, stage in enumerate(steps):
            services.record_step(p, stage, base + timedelta(days=[2, 12, 30, 45][k]))


def _thank_you_event(region, index, munis, orgs, services) -> None:
    """A bedankmoment for the region's parents: every household invited, a few answered."""
    from .models import EveningPage, Invitation

    page = EveningPage.objects.filter(slug="bedankmoment").first()
    if page is None:
        page = EveningPage(
            region=region,
            slug="bedankmoment",
            title="Bedankmoment voor pleeg-, steun- en gezinshuisouders",
            kind="thanks",
            starts_at=_at(35, 15, 0),
            ends_at=_at(35, 18, 0),
            capacity=80,
            deadline_hours=48,
            venue="Boerderij De Hoeve",
            address="Hoeveweg 2, 7418 AA Deventer",
            municipality=munis["deventer"],
            mode="in_person",
            family_forms=["full_time", "part_time", "weekend", "support", "family_home"],
            intro="<p>Een middag om jullie te bedanken, met eten, muziek en iets voor de kinderen.</p>",
        )
        index.add_child(instance=page)
        page.organisers.set(list(orgs.values()))
        page.save_revision().publish()
    if Invitation.objects.filter(page=page).exists():
        return
    # No inbox notifications in the demo: the demo accounts start with an empty inbox.
    services.invite(page, list(services.HOUSEHOLD_GROUPS), notify_accounts=False)
    answers = [
        services.Answer(coming=True, guests=4, dietary="1 keer vegetarisch"),
        services.Answer(coming=True, guests=2, dietary="glutenvrij"),
        services.Answer(coming=False),
    ]
    invitations = Invitation.objects.filter(page=page).select_related("household").order_by("pk")
    for i, (inv, answer) in enumerate(zip(invitations, answers, strict=False)):
        answer.email = f"huishouden{i + 1}@example.org"  # made-up: no account is told
        services.answer_invitation(inv, answer)
