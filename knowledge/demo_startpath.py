"""Demo data for the start path and knowledge per municipality (called from ``demo.load``).

Idempotent: paths by title, steps by position, starters by user, rules by topic and
municipality, articles by slug. Demo accounts (password as every demo account):

- ``startgezinshuis@thuisnet.example`` Nadia El Amrani, starting family home in Zutphen, at
  step four (the Wtza/Jeugdwet registration); provider Gezinshuizen De Linde, coach Lotte
  Linde (``medewerker@delinde.example``).
- ``startgezinshuis2@thuisnet.example`` Tom Vos, at step two (choice of provider).
- ``startgezinshuis3@thuisnet.example`` Lisa Mulder, at step seven (insurance) for 40 days:
  stalled, so the coach's view and the reminder job show her.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .models import (
    Answer,
    ArticleForm,
    KnowledgeArticlePage,
    MunicipalRule,
    Question,
    Starter,
    StartPath,
    StartStep,
    StepProgress,
    Theme,
)

PATH_TITLE = "Startpad gezinshuis Midden-IJssel/Oost-Veluwe"

START_ARTICLES = [
    {
        "slug": "een-gezinshuis-starten",
        "title": "Een gezinshuis starten: de stappen op een rij",
        "theme": Theme.START,
        "summary": "Van oriëntatie tot het eerste kind: welke registraties, contracten en "
        "verzekeringen je nodig hebt, en wie je daarbij helpt.",
        "body": (
            "<p>Een gezinshuis start je als ondernemer, meestal samen met een aanbieder of "
            "franchiseorganisatie. In de eerste maanden komt er veel op je af: de Kamer van "
            "Koophandel, de melding bij het CIBG voor de Wtza, een contract met je aanbieder, "
            "een kwaliteitskeurmerk en een VOG, verzekeringen en je woning.</p>"
            "<h2>Wie helpt je?</h2><p>Je aanbieder wijst je een coach toe. De regio heeft een "
            "startpad gemaakt met alle stappen; je ziet het in Thuisnet onder Startpad.</p>"
        ),
        "all": True,
        "munis": [],
        "form": (
            "Checklist start gezinshuis",
            "checklist-start-gezinshuis.pdf",
            [
                "1. Orientatie en informatieavond",
                "2. Keuze aanbieder of franchise",
                "3. KvK-inschrijving",
                "4. Wtza-melding en registratie Jeugdwet",
                "5. Contract met de aanbieder",
                "6. Kwaliteitskeurmerk en VOG",
                "7. Verzekeringen",
                "8. Huisvesting en financiering",
                "9. Het eerste kind",
            ],
        ),
    },
    {
        "slug": "vergoedingen-in-zutphen",
        "title": "Vergoedingen en bijzondere bijstand in Zutphen",
        "theme": Theme.MONEY,
        "summary": "Wat de gemeente Zutphen vergoedt naast de pleegvergoeding, en waar je het aanvraagt.",
        "body": (
            "<p>De gemeente Zutphen kent bijzondere bijstand voor kosten die de pleegvergoeding "
            "niet dekt, zoals een fiets voor een pleegkind vanaf twaalf jaar. Aanvragen gaat "
            "via het Sociaal Plein Zutphen.</p><p>Voor gezinshuizen vergoedt Zutphen geen "
            "eigen bijdrage kinderopvang; die zit in het tarief van je aanbieder.</p>"
        ),
        "all": False,
        "munis": ["zutphen"],
        "form": (
            "Aanvraag bijzondere bijstand Zutphen (voorbeeld)",
            "bijzondere-bijstand-zutphen.pdf",
            [
                "Aanvraag bijzondere bijstand voor kosten van een pleegkind",
                "Gemeente Zutphen, Sociaal Plein",
                "Soort kosten:",
                "Bedrag:",
                "Datum aankoop:",
            ],
        ),
    },
]

MUNICIPAL_RULES = [
    # topic, municipality slug, rule, contact
    (
        "Bijzondere bijstand voor pleeggezinnen",
        "zutphen",
        "Ja, tot € 600 per jaar per pleegkind; aanvragen binnen drie maanden na de kosten.",
        "Sociaal Plein Zutphen, 14 0575",
    ),
    (
        "Bijzondere bijstand voor pleeggezinnen",
        "deventer",
        "Ja, op aanvraag; geen vast maximum.",
        "Gemeente Deventer, 14 0570",
    ),
    (
        "Bijzondere bijstand voor pleeggezinnen",
        "apeldoorn",
        "Nee; kosten lopen via de bijzondere kosten van je aanbieder.",
        "Gemeente Apeldoorn, 14 055",
    ),
    (
        "Kwijtschelding gemeentelijke belastingen",
        "zutphen",
        "Pleegvergoeding telt niet mee als inkomen.",
        "Belastingen Zutphen",
    ),
    (
        "Kwijtschelding gemeentelijke belastingen",
        "deventer",
        "Pleegvergoeding telt niet mee als inkomen.",
        "",
    ),
    (
        "Kwijtschelding gemeentelijke belastingen",
        "apeldoorn",
        "Pleegvergoeding telt niet mee als inkomen.",
        "",
    ),
    (
        "Leerlingenvervoer pleegkind",
        "zutphen",
        "Aanvragen vóór 1 juni voor het nieuwe schooljaar.",
        "Loket leerlingenvervoer Zutphen",
    ),
    ("Leerlingenvervoer pleegkind", "deventer", "Aanvragen vóór 1 mei.", ""),
]

# position, title, explanation, organisation, contact, asks_document, document hint, link, article slugs
STEPS = [
    (
        1,
        "Oriëntatie",
        "Wat betekent het om gezinshuisouder te zijn? Lees de ervaringen, bezoek een "
        "informatieavond en praat met een gezinshuis in de regio.",
        "Regio Midden-IJssel/Oost-Veluwe",
        "Team Pleegzorg van de regio",
        False,
        "",
        "",
        ["een-gezinshuis-starten", "ervaring-eerste-jaar-gezinshuis"],
    ),
    (
        2,
        "Keuze van aanbieder of franchise",
        "Kies met welke aanbieder of franchiseorganisatie je "
        "samenwerkt. Vergelijk begeleiding, tarieven en wat er van je verwacht wordt.",
        "Aanbieders in de regio",
        "Je coach bij de aanbieder",
        False,
        "",
        "",
        ["een-gezinshuis-starten"],
    ),
    (
        3,
        "Inschrijving Kamer van Koophandel",
        "Schrijf je onderneming in bij de KvK (meestal een "
        "eenmanszaak of vof). Houd je KvK-nummer bij de hand voor de volgende stappen.",
        "Kamer van Koophandel",
        "KvK, 088 585 22 22",
        True,
        "uittreksel KvK",
        "https://www.kvk.nl/inschrijven/",
        [],
    ),
    (
        4,
        "Melding Wtza en registratie Jeugdwet",
        "Jeugdhulpaanbieders melden zich vóór de start bij "
        "het CIBG (Wtza-meldplicht) en staan in het register van de Jeugdwet. Je aanbieder helpt "
        "met de meldingsformulieren.",
        "CIBG (ministerie van VWS)",
        "Meldloket CIBG",
        True,
        "bevestiging van de Wtza-melding",
        "https://www.toetredingzorgaanbieders.nl/",
        [],
    ),
    (
        5,
        "Contract met de aanbieder",
        "Leg de samenwerking vast: tarieven, begeleiding, "
        "bereikbaarheid en wat er gebeurt als een plaatsing stopt.",
        "Je aanbieder",
        "Je coach bij de aanbieder",
        True,
        "getekend contract",
        "",
        [],
    ),
    (
        6,
        "Kwaliteitskeurmerk en VOG",
        "Vraag een Verklaring Omtrent het Gedrag aan voor iedereen "
        "van 18 jaar en ouder in huis, en start het traject voor het kwaliteitskeurmerk.",
        "Justis en je aanbieder",
        "Justis, 070 370 72 00",
        True,
        "VOG",
        "https://www.justis.nl/",
        [],
    ),
    (
        7,
        "Verzekeringen",
        "Regel een aansprakelijkheidsverzekering voor je onderneming, kijk je "
        "opstal- en inboedelverzekering na en vraag naar een arbeidsongeschiktheidsverzekering.",
        "Je verzekeraar",
        "Je coach kan voorbeelden laten zien",
        True,
        "polisblad aansprakelijkheid",
        "",
        [],
    ),
    (
        8,
        "Huisvesting en financiering",
        "Heeft je woning genoeg ruimte, en is verbouwen nodig? "
        "Bespreek de financiering met je bank en vraag bij de gemeente naar een omgevingsvergunning.",
        "Gemeente en bank",
        "Omgevingsloket van je gemeente",
        False,
        "",
        "",
        [],
    ),
    (
        9,
        "Het eerste kind",
        "De matching van het eerste kind gebeurt met je aanbieder en de "
        "gezinsvoogd. Bereid de eerste weken samen met je coach voor.",
        "Je aanbieder",
        "Je coach bij de aanbieder",
        False,
        "",
        "",
        ["gedrag-na-een-moeilijke-start"],
    ),
]

# email, full name, household name, steps done, days since start, days on the current step
STARTERS = [
    ("startgezinshuis@thuisnet.example", "Nadia El Amrani", "Gezinshuis De Wilg", 3, 120, 12),
    ("startgezinshuis2@thuisnet.example", "Tom Vos", "Gezinshuis Vos", 1, 25, 9),
    ("startgezinshuis3@thuisnet.example", "Lisa Mulder", "Gezinshuis Mulder", 6, 200, 40),
]


def _articles(index, owner) -> None:
    from thuisnet.accounts.models import Municipality

    from .demo import _document

    today = timezone.localdate()
    for data in START_ARTICLES:
        if KnowledgeArticlePage.objects.filter(slug=data["slug"]).exists():
            continue
        page = KnowledgeArticlePage(
            title=data["title"],
            slug=data["slug"],
            theme=data["theme"],
            summary=data["summary"],
            body=data["body"],
            owner_team="Team Pleegzorg, Jeugdhulpregio Midden-IJssel/Oost-Veluwe",
            content_owner=owner,
            last_reviewed=today - timedelta(days=20),
            review_date=today + timedelta(days=300),
            all_municipalities=data["all"],
        )
        page.municipalities = list(Municipality.objects.filter(slug__in=data["munis"]))
        title, filename, lines = data["form"]
        page.forms.add(ArticleForm(document=_document(title, filename, lines)))
        index.add_child(instance=page)
        page.save_revision().publish()


def _rules(region) -> None:
    from thuisnet.accounts.models import Municipality

    munis = {m.slug: m for m in Municipality.objects.filter(region=region)}
    for topic, slug, rule, contact in MUNICIPAL_RULES:
        if slug in munis:
            MunicipalRule.objects.get_or_create(
                topic=topic,
                municipality=munis[slug],
                defaults={"theme": Theme.MONEY, "rule": rule, "contact": contact},
            )


def _path(region, provider) -> StartPath:
    path, _created = StartPath.objects.get_or_create(
        title=PATH_TITLE,
        defaults={
            "region": region,
            "provider": None,
            "intro": "Alle stappen om een gezinshuis te starten in onze regio, met wie je nodig "
            "hebt en welke documenten erbij horen.",
            "stall_days": 30,
        },
    )
    for position, title, text, org, contact, asks, hint, link, slugs in STEPS:
        step, created = StartStep.objects.get_or_create(
            path=path,
            position=position,
            defaults={
                "title": title,
                "explanation": text,
                "responsible_organisation": org,
                "contact": contact,
                "asks_document": asks,
                "document_hint": hint,
                "link_url": link,
                "link_label": "Naar de website" if link else "",
            },
        )
        if created and slugs:
            step.articles.set(KnowledgeArticlePage.objects.filter(slug__in=slugs))
    return path


def _starters(region, path) -> None:
    from thuisnet.accounts.models import FamilyForm, Household, Municipality, Organisation, User
    from thuisnet.core.demo import _user

    provider = Organisation.objects.filter(slug="gezinshuizen-de-linde").first()
    coach = User.objects.filter(email="medewerker@delinde.example").first()
    zutphen = Municipality.objects.filter(region=region, slug="zutphen").first()
    if provider is None or zutphen is None:
        return
    steps = list(path.steps.order_by("position"))
    today = timezone.localdate()
    for email, name, household, done, since_start, on_step in STARTERS:
        user = _user(email, name, region)
        if user.household_id is None:
            user.household = Household.objects.create(
                region=region,
                municipality=zutphen,
                family_form=FamilyForm.FAMILY_HOME,
                display_name=household,
                postcode="7203",
                provider=provider,
                verified_at=timezone.now(),
            )
            user.save(update_fields=["household"])
        if Starter.objects.filter(user=user).exists():
            continue
        start = today - timedelta(days=since_start)
        starter = Starter.objects.create(
            user=user, path=path, provider=provider, coach=coach, started_on=start
        )
        # Steps done are spread evenly between the start and the day the current step began.
        current_since = today - timedelta(days=on_step)
        span = max((current_since - start).days, done)
        reached = start
        for i, step in enumerate(steps[:done], start=1):
            finished = start + timedelta(days=span * i // done)
            StepProgress.objects.create(
                starter=starter,
                step=step,
                reached_on=reached,
                done_on=finished,
                document_url="https://delinde.example/documenten/" + str(step.position)
                if step.asks_document
                else "",
                document_name=step.document_hint if step.asks_document else "",
            )
            reached = finished
        if done < len(steps):
            StepProgress.objects.create(starter=starter, step=steps[done], reached_on=current_since)


def _zutphen_answer(region) -> None:
    from thuisnet.accounts.models import Municipality, User

    author = User.objects.filter(email="pleegouder@thuisnet.example").first()
    expert = User.objects.filter(email="medewerker@pleegzorg-ijsselland.example").first()
    zutphen = Municipality.objects.filter(region=region, slug="zutphen").first()
    if not (author and expert and zutphen):
        return
    title = "Vergoedt de gemeente Zutphen een fiets voor ons pleegkind?"
    q, _created = Question.objects.get_or_create(
        title=title,
        defaults={
            "region": region,
            "author": author,
            "theme": Theme.MONEY,
            "text": "Onze pleegdochter van dertien fietst straks naar school. Kan dat via de gemeente?",
            "tags": "fiets, bijzondere bijstand",
        },
    )
    if not q.answers.exists():
        Answer.objects.create(
            question=q,
            author=expert,
            text="In Zutphen kan dat via bijzondere bijstand (Sociaal Plein), tot € 600 per jaar. "
            "Vraag het binnen drie maanden na de aankoop aan.",
            municipality=zutphen,
            verified_by=expert,
            verified_at=timezone.now(),
        )


def load(region, index, owner, stdout=None) -> None:
    _articles(index, owner)
    _rules(region)
    path = _path(region, None)
    _starters(region, path)
    _zutphen_answer(region)
    if stdout:
        stdout.write(
            f"knowledge: start path with {path.steps.count()} steps, {path.starters.count()} starters"
        )
