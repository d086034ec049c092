"""Demo data for knowledge, called by `manage.py load_demo`. Idempotent: a second run
changes nothing (articles are found by slug, documents by title, questions by title)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from .models import (
    AnonymousPostingRule,
    Answer,
    ArticleForm,
    HelpfulVote,
    KnowledgeArticlePage,
    KnowledgeIndexPage,
    NotificationSettings,
    Question,
    Theme,
    ThemeFollow,
)

OWNER_TEAM = "Team Pleegzorg, Jeugdhulpregio Midden-IJssel/Oost-Veluwe"


def make_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF (Helvetica, WinAnsi) with a title and lines of text."""

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 16 Tf", "56 780 Td", f"({esc(title)}) Tj", "/F1 11 Tf", "0 -28 Td", "14 TL"]
    for line in lines:
        ops.append(f"({esc(line)}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("cp1252", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _document(title: str, filename: str, lines: list[str]):
    from wagtail.documents import get_document_model

    Document = get_document_model()
    doc = Document.objects.filter(title=title).first()
    if doc is None:
        doc = Document(title=title)
        doc.file.save(filename, ContentFile(make_pdf(title, lines)), save=False)
        doc.save()
    return doc


FORM_FOOTER = [
    "",
    "Jeugdhulpregio Midden-IJssel/Oost-Veluwe - voorbeeldformulier Thuisnet",
    "Vul geen BSN in en bewaar dit formulier niet langer dan nodig.",
]

ARTICLES = [
    {
        "slug": "wie-beslist-wat-bij-pleegzorg",
        "title": "Wie beslist wat? Toestemming bij pleegzorg",
        "theme": Theme.PROCEDURES,
        "summary": "Over de dagelijkse verzorging beslis je als pleegouder zelf. Voor grote "
        "beslissingen is toestemming nodig van wie het gezag heeft.",
        "body": (
            "<p>Als pleegouder zorg je elke dag voor je pleegkind, maar meestal heb je niet "
            "het gezag. Het gezag ligt bij de ouders of, als het kind onder voogdij staat, bij "
            "de voogd van de gecertificeerde instelling (GI).</p>"
            "<h2>Wat mag je zelf beslissen?</h2><ul><li>Dagelijkse zaken: eten, bedtijden, "
            "kleding, sport en vriendjes.</li><li>Een bezoek aan de huisarts of tandarts voor "
            "gewone zorg.</li><li>Kleine uitjes en logeren bij vrienden.</li></ul>"
            "<h2>Waarvoor is toestemming nodig?</h2><ul><li>Een paspoort of ID-kaart "
            "aanvragen.</li><li>Vakantie in het buitenland.</li><li>Een medische behandeling "
            "die verder gaat dan gewone zorg, zoals een operatie of medicatie voor ADHD."
            "</li><li>Een andere school kiezen.</li><li>Een geloofsbelijdenis, doop of "
            "besnijdenis.</li></ul>"
            "<p>Vraag toestemming op tijd aan, via je pleegzorgbegeleider. Bij een "
            "ondertoezichtstelling kijkt ook de gezinsvoogd mee. Gebruik voor een vakantie "
            "het toestemmingsformulier hieronder: dat scheelt vragen bij de grens.</p>"
            "<h2>Na een jaar</h2><p>Woont je pleegkind een jaar of langer bij je met "
            "instemming van de ouders met gezag, dan kun je de kinderrechter vragen te "
            "voorkomen dat het kind zomaar wordt teruggehaald (het blokkaderecht). Bespreek "
            "dit altijd eerst met je pleegzorgbegeleider.</p>"
        ),
        "forms": [
            (
                "Toestemmingsformulier vakantie buitenland",
                "toestemming-vakantie.pdf",
                [
                    "Ondergetekende, met gezag over het kind, geeft toestemming voor een reis naar:",
                    "Land(en): ......................................  Periode: ..................",
                    "Het kind reist met pleegouder(s): ..........................................",
                    "Naam gezaghebbende: ....................  Handtekening: ....................",
                    "Datum: ....................",
                    "Voeg een kopie van het identiteitsbewijs van de gezaghebbende toe (BSN afgeschermd).",
                ]
                + FORM_FOOTER,
            )
        ],
        "reviewed_days_ago": 120,
        "review_in_days": 245,
    },
    {
        "slug": "pleegvergoeding-en-bijzondere-kosten",
        "title": "Pleegvergoeding en bijzondere kosten",
        "theme": Theme.MONEY,
        "summary": "De pleegvergoeding is bedoeld voor de gewone kosten van je pleegkind. "
        "Voor kosten die daarbuiten vallen, kun je bijzondere kosten aanvragen.",
        "body": (
            "<p>Als pleegouder krijg je van de pleegzorgaanbieder een pleegvergoeding per "
            "dag dat je pleegkind bij je woont. De hoogte hangt af van de leeftijd van het "
            "kind en wordt elk jaar landelijk vastgesteld. De actuele bedragen staan op de "
            "site van Pleegzorg Nederland.</p>"
            "<h2>Belasting en toeslagen</h2><p>De pleegvergoeding is onbelast en telt niet "
            "mee als inkomen voor je toeslagen. Voor een pleegkind dat bij je woont, kun je "
            "bij de SVB kinderbijslag aanvragen.</p>"
            "<h2>Wat zit erin?</h2><p>Het Nibud heeft uitgerekend welke kosten de "
            "pleegvergoeding dekt: voeding, kleding, verzorging, zakgeld, inventaris van de "
            "kinderkamer, vervoer en vrije tijd. Kosten die daar niet in zitten, zijn "
            "<em>bijzondere kosten</em>, bijvoorbeeld een eerste uitrusting bij plaatsing, "
            "een bril of beugel die de verzekering niet vergoedt, bijles die in het "
            "hulpverleningsplan staat, of reiskosten voor bezoek aan ouders.</p>"
            "<h2>Zo vraag je bijzondere kosten aan</h2><ol><li>Overleg vooraf met je "
            "pleegzorgbegeleider of de kosten in aanmerking komen.</li><li>Vul het "
            "declaratieformulier in en voeg de bonnen toe.</li><li>Lever het in bij je "
            "pleegzorgaanbieder, uiterlijk drie maanden na de uitgave.</li></ol>"
        ),
        "forms": [
            (
                "Declaratieformulier bijzondere kosten",
                "declaratie-bijzondere-kosten.pdf",
                [
                    "Naam pleegouder: ............................  Pleegzorgaanbieder: ..............",
                    "Referentie pleegkind (geen naam of BSN): ..........",
                    "Omschrijving kosten: ............................................................",
                    "Bedrag: EUR ..........  Datum uitgave: ..........",
                    "Vooraf besproken met pleegzorgbegeleider: ja / nee  (naam: ..................)",
                    "Bonnen bijgevoegd: ja / nee",
                    "Handtekening: ....................",
                ]
                + FORM_FOOTER,
            )
        ],
        "reviewed_days_ago": 400,
        "review_in_days": -35,  # overdue: shows "laatst gecontroleerd op ..."
    },
    {
        "slug": "pleegzorg-na-18-pleegzorgvoorziening",
        "title": "Pleegzorg na je 18e: de pleegzorgvoorziening tot 21 jaar",
        "theme": Theme.MONEY,
        "summary": "Een pleegkind mag na zijn 18e bij het pleeggezin blijven wonen tot 21 "
        "jaar, met behoud van de pleegvergoeding.",
        "body": (
            "<p>Sinds 2018 is verlengde pleegzorg tot 21 jaar de norm. Als je pleegkind 18 "
            "wordt en bij je wil blijven wonen, loopt de pleegzorg door als "
            "<em>pleegzorgvoorziening 18+</em>. De gemeente betaalt de pleegvergoeding "
            "door; je pleegkind hoeft daarvoor geen nieuwe indicatie aan te vragen.</p>"
            "<h2>Wat verandert er op 18?</h2><ul><li>Je pleegkind is volwassen en beslist "
            "zelf, ook over contact met ouders en over geld.</li><li>De kinderbijslag stopt; "
            "je pleegkind kan zelf zorgtoeslag en studiefinanciering aanvragen.</li>"
            "<li>Je pleegkind moet een zorgverzekering afsluiten (premie vanaf 18).</li></ul>"
            "<h2>Op tijd beginnen</h2><p>Bespreek rond de 17e verjaardag met je pleegkind en "
            "de pleegzorgbegeleider het toekomstplan: wonen, school of werk, geld en "
            "zorg. Gebruik de checklist hieronder.</p>"
        ),
        "forms": [
            (
                "Checklist 18 worden in pleegzorg",
                "checklist-18-worden.pdf",
                [
                    "[ ] Toekomstplan besproken (wonen, school/werk, geld, zorg)",
                    "[ ] Zorgverzekering vanaf 18 geregeld",
                    "[ ] Zorgtoeslag en studiefinanciering aangevraagd",
                    "[ ] DigiD aangevraagd",
                    "[ ] Afspraken pleegzorgvoorziening tot 21 vastgelegd",
                    "[ ] Bankrekening op eigen naam",
                ]
                + FORM_FOOTER,
            )
        ],
        "reviewed_days_ago": 60,
        "review_in_days": 300,
    },
    {
        "slug": "onkostenvergoeding-steungezinnen",
        "title": "Vergoeding voor steungezinnen",
        "theme": Theme.MONEY,
        "family_forms": ("support",),
        "summary": "Ook als steungezin krijg je een vergoeding voor de dagen dat een kind bij je is.",
        "body": (
            "<p>Een steungezin is formeel een vorm van deeltijdpleegzorg. Je krijgt daarom, "
            "net als een pleeggezin, een pleegvergoeding voor de dagen en nachten dat het "
            "kind bij je is. De vergoeding loopt via de pleegzorgaanbieder die het steungezin "
            "begeleidt.</p><h2>Praktisch</h2><ul><li>Houd de dagen bij op het "
            "registratieformulier en lever het elke maand in.</li><li>Reiskosten om het kind "
            "op te halen zijn bijzondere kosten als je dat vooraf afspreekt.</li></ul>"
        ),
        "forms": [
            (
                "Registratieformulier dagen steungezin",
                "registratie-steungezin.pdf",
                [
                    "Maand: ..........  Steungezin: ..............................",
                    "Referentie kind: ..........",
                    "Datum | aankomst | vertrek | overnachting ja/nee",
                    "..... | ........ | ....... | ....",
                    "..... | ........ | ....... | ....",
                    "Handtekening steungezin: ....................",
                ]
                + FORM_FOOTER,
            )
        ],
        "reviewed_days_ago": 30,
        "review_in_days": 330,
    },
    {
        "slug": "gedrag-na-een-moeilijke-start",
        "title": "Boos, teruggetrokken of juist heel lief: gedrag na een moeilijke start",
        "theme": Theme.PARENTING,
        "summary": "Veel pleegkinderen hebben meer meegemaakt dan je ziet. Hun gedrag is "
        "vaak een manier om zich veilig te voelen.",
        "body": (
            "<p>Kinderen die uit huis geplaatst zijn, hebben vaak onveiligheid, verlies of "
            "verwaarlozing meegemaakt. Dat zie je terug in gedrag: woede-uitbarstingen om "
            "iets kleins, niet willen slapen, aanklampen of juist niemand nodig lijken te "
            "hebben.</p><h2>Wat helpt</h2><ul><li>Voorspelbaarheid: vaste tijden en "
            "rituelen.</li><li>Eerst verbinden, dan corrigeren: benoem wat je ziet "
            "('Je bent boos') voordat je een grens stelt.</li><li>Zorg voor jezelf: "
            "respijtopvang of een steungezin is geen falen.</li></ul><h2>Hulp vragen</h2>"
            "<p>Je pleegzorgbegeleider kan een gedragsdeskundige inschakelen. Veel aanbieders "
            "hebben trainingen over hechting en trauma. Noteer wat je ziet in het "
            "observatieformulier: dat helpt in het gesprek.</p>"
        ),
        "forms": [
            (
                "Observatieformulier gedrag",
                "observatie-gedrag.pdf",
                [
                    "Datum en tijd: ..........",
                    "Wat ging eraan vooraf? ..................................",
                    "Wat zag je (gedrag)? ....................................",
                    "Wat deed jij? Wat hielp? ................................",
                    "Hoe lang duurde het? ..........",
                ]
                + FORM_FOOTER,
            )
        ],
        "reviewed_days_ago": 90,
        "review_in_days": 270,
    },
    {
        "slug": "school-en-pleegzorg",
        "title": "School: inschrijven, informatie en passend onderwijs",
        "theme": Theme.SCHOOL,
        "summary": "Voor inschrijving op een nieuwe school is een handtekening nodig van wie "
        "het gezag heeft. Daarna ben jij het eerste aanspreekpunt van de school.",
        "body": (
            "<p>Een nieuwe school kiezen is een grote beslissing: de ouders met gezag of de "
            "voogd moeten tekenen. Regel dit op tijd, zeker bij een plaatsing midden in het "
            "schooljaar.</p><h2>Informatie van school</h2><p>Als verzorger ben je voor de "
            "school het eerste aanspreekpunt voor de dagelijkse gang van zaken. Ouders met "
            "gezag hebben ook recht op informatie over hoe het gaat. Spreek met de school af "
            "hoe dat loopt.</p><h2>Passend onderwijs</h2><p>Scholen hebben een zorgplicht: "
            "ze moeten een passende plek bieden, op de eigen school of elders. Vraag naar het "
            "ontwikkelingsperspectief als je pleegkind extra ondersteuning nodig heeft. "
            "Leerlingenvervoer vraag je aan bij de gemeente waar je woont.</p>"
            "<p>Het overdrachtsformulier helpt de nieuwe school op weg zonder dat je "
            "gevoelige details hoeft te delen.</p>"
        ),
        "forms": [
            (
                "Overdrachtsformulier school",
                "overdracht-school.pdf",
                [
                    "Groep/klas: ..........  Startdatum: ..........",
                    "Wat gaat goed? ...........................................",
                    "Wat heeft het kind nodig in de klas? .......................",
                    "Aanspreekpunt dagelijkse zaken (pleegouder): ..................",
                    "Wie heeft het gezag / moet tekenen? ...........................",
                ]
                + FORM_FOOTER,
            )
        ],
        "reviewed_days_ago": 45,
        "review_in_days": 320,
    },
    {
        "slug": "omgangsregeling-bezoek-ouders",
        "title": "Omgangsregeling: contact met de ouders van je pleegkind",
        "theme": Theme.BIRTH_PARENTS,
        "summary": "Contact met ouders is belangrijk voor je pleegkind, ook als het "
        "ingewikkeld is. Wie beslist over de omgang en hoe maak je het haalbaar?",
        "body": (
            "<p>Bijna alle pleegkinderen hebben contact met hun ouders. Hoe vaak en hoe, staat "
            "in het hulpverleningsplan. Bij een ondertoezichtstelling beslist de gezinsvoogd "
            "mee; soms stelt de kinderrechter de omgang vast.</p><h2>Loyaliteit</h2><p>Een "
            "kind houdt van zijn ouders, ook als het daar niet veilig was. Praat met respect "
            "over de ouders en geef je pleegkind toestemming om van beide gezinnen te houden."
            "</p><h2>Rond het bezoek</h2><ul><li>Bereid je pleegkind voor: wie, waar, hoe "
            "lang.</li><li>Houd de dag na een bezoek rustig; onrust is normaal.</li><li>"
            "Schrijf op wat je opvalt en bespreek het met je begeleider, niet met het kind."
            "</li></ul><p>Gaat een bezoek niet goed, of houden ouders zich niet aan de "
            "afspraken, neem dan contact op met je pleegzorgbegeleider.</p>"
        ),
        "forms": [
            (
                "Logboek bezoekafspraken",
                "logboek-bezoek.pdf",
                [
                    "Datum | plaats | begeleid ja/nee | duur | bijzonderheden",
                    "...... | ...... | ............... | .... | ......................",
                    "...... | ...... | ............... | .... | ......................",
                    "Bespreken met pleegzorgbegeleider op: ..........",
                ]
                + FORM_FOOTER,
            )
        ],
        "reviewed_days_ago": 200,
        "review_in_days": 165,
    },
    {
        "slug": "ervaring-eerste-jaar-gezinshuis",
        "title": "Ervaring: ons eerste jaar als gezinshuis",
        "theme": Theme.EXPERIENCES,
        "family_forms": ("family_home",),
        "summary": "Wim en Ellen de Boer vertellen over hun eerste jaar met drie geplaatste "
        "kinderen in hun eigen huis.",
        "body": (
            "<p>'We dachten dat we wisten waar we aan begonnen. We hadden zelf twee kinderen "
            "en Ellen werkte in de jeugdzorg. Maar een gezinshuis is ander werk: je bent "
            "ouder én professional, dag en nacht.'</p><h2>Wat hielp</h2><ul><li>Vaste "
            "intervisie met andere gezinshuisouders, eens per zes weken.</li><li>Een "
            "weekend per maand respijt, zodat onze eigen kinderen ook aandacht kregen.</li>"
            "<li>Eerlijk zijn tegen de gedragswetenschapper als het niet ging.</li></ul>"
            "<p>'Het mooiste moment? Toen onze oudste na acht maanden voor het eerst zelf "
            "vroeg of hij mocht helpen koken.' Gebruik het weekschema als je ook zoekt naar "
            "ritme in huis.</p>"
        ),
        "forms": [
            (
                "Weekschema gezinshuis (voorbeeld)",
                "weekschema-gezinshuis.pdf",
                [
                    "Ma-vr 7.00 ontbijt samen | 8.15 school | 15.30 thuiskomen en even bijpraten",
                    "17.45 samen eten | 19.00 huiswerk/vrije tijd | bedtijd per leeftijd",
                    "Wo-middag: sport | Za: uitje of rust | Zo: bezoek ouders volgens afspraak",
                ]
                + FORM_FOOTER,
            )
        ],
        "reviewed_days_ago": 20,
        "review_in_days": 700,
    },
]

# (key, author, theme, title, text, tags, anonymous)
QUESTIONS = [
    (
        "vakantie",
        "pleegouder",
        Theme.PROCEDURES,
        "Hoe lang van tevoren moet ik toestemming vragen voor vakantie in Frankrijk?",
        "We willen in de zomervakantie drie weken naar Frankrijk met ons pleegkind (9 jaar). De "
        "moeder heeft het gezag. Hoe lang duurt het meestal voordat de toestemming rond is?",
        "vakantie, toestemming, buitenland",
        False,
    ),
    (
        "paspoort",
        "steunouder",
        Theme.PROCEDURES,
        "Wie vraagt een ID-kaart aan voor een kind dat bij ons woont?",
        "Voor een schoolreis naar Duitsland is een ID-kaart nodig. Mogen wij die als pleegouders "
        "aanvragen bij de gemeente?",
        "paspoort, id-kaart, gemeente",
        False,
    ),
    (
        "bril",
        "pleegouder",
        Theme.MONEY,
        "Valt een nieuwe bril onder bijzondere kosten?",
        "Ons pleegkind heeft een nieuwe bril nodig en de verzekering vergoedt maar een deel. "
        "Kan ik de rest declareren als bijzondere kosten?",
        "bril, declareren",
        False,
    ),
    (
        "kinderbijslag",
        "gezinshuisouder",
        Theme.MONEY,
        "Krijg je kinderbijslag voor een pleegkind naast de pleegvergoeding?",
        "Een nieuwe pleegmoeder vroeg me dit en ik twijfel. Heeft iemand hier recente ervaring mee?",
        "kinderbijslag, svb",
        False,
    ),
    (
        "18plus",
        "pleegouder",
        Theme.MONEY,
        "Loopt de pleegvergoeding door als onze pleegdochter 18 wordt en gaat studeren?",
        "Ze wordt in maart 18 en wil bij ons blijven wonen terwijl ze een mbo-opleiding doet.",
        "18+, studie, pleegzorgvoorziening",
        False,
    ),
    (
        "driftbuien",
        "steunouder",
        Theme.PARENTING,
        "Driftbuien na het weekend bij ons: wat doen jullie?",
        "Onze steungast (7) is op zondagmiddag, vlak voor hij terug naar huis gaat, vaak "
        "ontroostbaar boos. Hoe gaan jullie met zo'n overgang om?",
        "overgang, boosheid",
        False,
    ),
    (
        "slapen",
        "gezinshuisouder",
        Theme.PARENTING,
        "Tips voor een kind dat niet alleen durft te slapen?",
        "Een nieuw geplaatst meisje van 6 durft niet alleen in haar kamer te slapen. We willen "
        "haar niet forceren. Wat werkte bij jullie?",
        "slapen, angst",
        False,
    ),
    (
        "mentor-school",
        "pleegouder",
        Theme.SCHOOL,
        "Hoeveel vertel je de nieuwe school over de achtergrond van je pleegkind?",
        "Na de zomer gaat onze pleegzoon naar de brugklas. De mentor vraagt naar 'de situatie "
        "thuis'. Wat delen jullie en wat niet?",
        "brugklas, privacy",
        False,
    ),
    (
        "verjaardag",
        "pleegouder",
        Theme.BIRTH_PARENTS,
        "Moeder wil onverwacht op de verjaardag langskomen",
        "De moeder van ons pleegkind wil op de verjaardag komen, terwijl dat niet in de "
        "afspraken staat. Ik wil geen ruzie, maar ik weet ook dat het kind daarna dagen van slag "
        "is. Hoe pakken jullie dat aan?",
        "omgang, verjaardag",
        True,
    ),
    (
        "eerste-maand",
        "steunouder",
        Theme.EXPERIENCES,
        "Hoe was jullie eerste maand als steungezin?",
        "We zijn net begonnen als steungezin. Het eerste weekend was spannend. Ik ben benieuwd "
        "hoe het bij anderen ging.",
        "steungezin, begin",
        False,
    ),
    (
        "reiskosten",
        "gezinshuisouder",
        Theme.MONEY,
        "Krijg je reiskosten vergoed voor bezoek aan ouders in een andere provincie?",
        "Een van onze kinderen heeft elke twee weken bezoek bij zijn vader in Groningen. Dat is "
        "drie uur rijden heen en terug.",
        "reiskosten, omgang",
        False,
    ),
    (
        "zwemles",
        "pleegouder",
        Theme.PARENTING,
        "Zwemles voor een pleegkind van 10 dat nog geen diploma heeft",
        "Wie betaalt de zwemles, en hoe vinden jullie een zwembad dat rekening houdt met oudere beginners?",
        "zwemles, sport",
        False,
    ),
]

# (question key, author, text, verified_by, accepted, helpful voters)
ANSWERS = [
    (
        "vakantie",
        "medewerker1",
        "Reken op minstens zes weken. De toestemming moet van de moeder komen, met een kopie van "
        "haar identiteitsbewijs. Je pleegzorgbegeleider helpt met het formulier uit de "
        "kennisbank. Bij een ondertoezichtstelling kijkt de gezinsvoogd mee.",
        "medewerker1",
        True,
        ["steunouder", "gezinshuisouder"],
    ),
    (
        "vakantie",
        "gezinshuisouder",
        "Wij vragen het altijd al in het voorjaar aan. Neem het getekende formulier mee op reis; "
        "bij de grens is er weleens naar gevraagd.",
        None,
        False,
        ["pleegouder"],
    ),
    (
        "paspoort",
        "medewerker2",
        "Nee, de aanvraag moet gedaan worden door wie het gezag heeft (ouder of voogd), of met "
        "hun schriftelijke toestemming. Neem contact op met je pleegzorgbegeleider; die regelt "
        "dit met de ouder of de GI.",
        "medewerker2",
        True,
        ["pleegouder"],
    ),
    (
        "bril",
        "gezinshuisouder",
        "Bij ons werd het eigen deel van de bril vergoed, maar we hadden het wel vooraf "
        "overlegd. Bewaar de bon en de afwijzing van de verzekering.",
        None,
        False,
        [],
    ),
    (
        "bril",
        "medewerker1",
        "Een bril valt onder bijzondere kosten als de zorgverzekering hem niet of niet "
        "helemaal vergoedt. Overleg vooraf en gebruik het declaratieformulier.",
        "medewerker1",
        True,
        ["gezinshuisouder", "steunouder"],
    ),
    (
        "kinderbijslag",
        "medewerker2",
        "Ja. Als het pleegkind bij je woont, kun je kinderbijslag aanvragen bij de SVB, ook als "
        "je een pleegvergoeding krijgt. Kindgebonden budget krijg je voor een pleegkind niet.",
        "medewerker2",
        False,
        ["pleegouder"],
    ),
    (
        "18plus",
        "medewerker1",
        "Ja, dat heet de pleegzorgvoorziening: de pleegvergoeding loopt door tot 21 jaar als "
        "jullie pleegdochter bij jullie blijft wonen. Begin nu met het toekomstplan; zie het "
        "artikel over pleegzorg na 18 in de kennisbank.",
        "medewerker1",
        True,
        [],
    ),
    (
        "driftbuien",
        "pleegouder",
        "Wij maken het afscheid voorspelbaar: om drie uur pakken we samen de tas in en om half "
        "vier eten we iets lekkers. Het boze moment is korter geworden.",
        None,
        True,
        ["gezinshuisouder"],
    ),
    (
        "slapen",
        "steunouder",
        "Bij ons hielp een nachtlampje en dat ik de eerste weken op de gang bleef zitten tot ze "
        "sliep. Na een maand was dat niet meer nodig.",
        None,
        False,
        ["pleegouder"],
    ),
    (
        "mentor-school",
        "gezinshuisouder",
        "Wij vertellen wat de mentor nodig heeft om ons kind te helpen: dat hij in een pleeggezin "
        "woont, wat hem onrustig maakt en wie er belt bij zorgen. De rest is zijn eigen verhaal.",
        None,
        True,
        ["pleegouder", "steunouder"],
    ),
    (
        "verjaardag",
        "medewerker1",
        "Dit is een vraag voor je pleegzorgbegeleider: afspraken over omgang horen in het "
        "hulpverleningsplan en jij hoeft dit niet alleen op te lossen. Vaak lukt een kort, "
        "begeleid moment op een andere dag beter dan een bezoek op de verjaardag zelf.",
        "medewerker1",
        False,
        [],
    ),
    (
        "reiskosten",
        "medewerker2",
        "Reiskosten voor bezoek aan ouders kunnen onder bijzondere kosten vallen als de omgang "
        "in het hulpverleningsplan staat. Spreek met je begeleider af welke kilometervergoeding "
        "geldt en houd de ritten bij.",
        None,
        False,
        ["gezinshuisouder"],
    ),
    (
        "eerste-maand",
        "pleegouder",
        "Spannend en mooi! Ons advies: houd het eerste weekend klein. Geen uitjes, gewoon samen "
        "koken en een spelletje.",
        None,
        False,
        ["steunouder"],
    ),
]


def _by_email(prefix: str):
    from thuisnet.accounts.models import User

    emails = {
        "pleegouder": "pleegouder@thuisnet.example",
        "steunouder": "steunouder@thuisnet.example",
        "gezinshuisouder": "gezinshuisouder@thuisnet.example",
        "medewerker1": "medewerker@pleegzorg-ijsselland.example",
        "medewerker2": "medewerker@veluwejeugdzorg.example",
        "redacteur": "redacteur@thuisnet.example",
    }
    return User.objects.filter(email=emails[prefix]).first()


def _index_page():
    from thuisnet.home.models import HomePage

    index = KnowledgeIndexPage.objects.first()
    if index is not None:
        return index
    home = HomePage.objects.first()
    if home is None:
        return None
    index = KnowledgeIndexPage(
        title="Kennisbank",
        slug="kennisbank",
        intro="<p>Praktische informatie voor pleeg-, steun- en gezinshuisouders in "
        "Midden-IJssel/Oost-Veluwe: regels, geld, opvoeding, school en contact met "
        "ouders. Met formulieren om te downloaden, en vragen die ouders elkaar "
        "stellen.</p>",
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def load(region, stdout=None) -> None:
    index = _index_page()
    if index is None:
        if stdout:
            stdout.write("knowledge: no home page, skipped")
        return
    today = timezone.localdate()
    owner = _by_email("redacteur")
    for data in ARTICLES:
        if KnowledgeArticlePage.objects.filter(slug=data["slug"]).exists():
            continue
        forms = data.get("family_forms")
        page = KnowledgeArticlePage(
            title=data["title"],
            slug=data["slug"],
            theme=data["theme"],
            summary=data["summary"],
            body=data["body"],
            owner_team=OWNER_TEAM,
            content_owner=owner,
            last_reviewed=today - timedelta(days=data["reviewed_days_ago"]),
            review_date=today + timedelta(days=data["review_in_days"]),
            for_foster=not forms or "foster" in forms,
            for_support=not forms or "support" in forms,
            for_family_home=not forms or "family_home" in forms,
        )
        for title, filename, lines in data["forms"]:
            page.forms.add(ArticleForm(document=_document(title, filename, lines)))
        index.add_child(instance=page)
        page.save_revision().publish()

    from . import demo_startpath

    demo_startpath.load(region, index, owner, stdout=stdout)

    for theme in (Theme.PARENTING, Theme.BIRTH_PARENTS, Theme.EXPERIENCES):
        AnonymousPostingRule.objects.get_or_create(region=region, theme=theme, defaults={"allowed": True})

    people = {
        k: _by_email(k) for k in ("pleegouder", "steunouder", "gezinshuisouder", "medewerker1", "medewerker2")
    }
    if not all(people.values()):
        return
    now = timezone.now()
    questions = {}
    for i, (key, author, theme, title, text, tags, anonymous) in enumerate(QUESTIONS):
        q = Question.objects.filter(title=title).first()
        if q is None:
            q = Question.objects.create(
                region=region,
                author=people[author],
                theme=theme,
                title=title,
                text=text,
                tags=tags,
                anonymous=anonymous,
                created_at=now - timedelta(days=40 - 3 * i, hours=i),
            )
        questions[key] = q
    for j, (key, author, text, verifier, accepted, voters) in enumerate(ANSWERS):
        q = questions[key]
        a = Answer.objects.filter(question=q, text=text).first()
        if a is not None:
            continue
        a = Answer.objects.create(
            question=q,
            author=people[author],
            text=text,
            created_at=q.created_at + timedelta(hours=5 + j),
            verified_by=people[verifier] if verifier else None,
            verified_at=(q.created_at + timedelta(days=1)) if verifier else None,
        )
        for voter in voters:
            HelpfulVote.objects.get_or_create(answer=a, user=people[voter])
        a.helpful_count = len(voters)
        a.save(update_fields=["helpful_count"])
        if accepted:
            Question.objects.filter(pk=q.pk).update(accepted_answer=a)
    # Follows and digest opt-ins so the notification flows can be tried at once.
    ThemeFollow.objects.get_or_create(user=people["pleegouder"], theme=Theme.MONEY)
    ThemeFollow.objects.get_or_create(user=people["medewerker1"], theme=Theme.PROCEDURES)
    for key in ("medewerker1", "gezinshuisouder"):
        NotificationSettings.objects.get_or_create(user=people[key], defaults={"weekly_digest": True})
    if stdout:
        stdout.write(
            f"knowledge: {KnowledgeArticlePage.objects.count()} articles, "
            f"{Question.objects.count()} questions"
        )
