"""Spot identifying data in free text: the one guard for every free-text field and every
child reference.

Children in care must not be identifiable from what parents and staff type. A child is a
pseudonymous reference, an age and needs: never a name, birth date, address or citizen
number (BSN). Text that contains any of the following is refused at the field (forms and
API serializers, through :func:`validate_no_identifiers` and
:func:`validate_child_reference`) or held for moderation (knowledge posts):

- ``bsn``: nine digits that pass the eleven test (elfproef), written with any separator
  (space, dot, dash, slash) or split by zero-width characters, and the eight-digit form
  (a BSN whose leading zero was dropped; also checked with the eleven test);
- ``phone``: Dutch phone numbers (06-12345678, +31 6 1234 5678, 0570-123456, (0570) 123456);
- ``email``: e-mail addresses;
- ``postcode``: a postcode with its letters (1234 AB, 1234AB): four digits alone are fine;
- ``address``: a street with a house number (Kerkstraat 12, Dorpsweg 3a);
- ``birthdate``: a full date next to "geboren", "geb." or "born"; in a child reference any
  full date;
- ``name_date``: a personal name (capitalised words, tussenvoegsels allowed: "Jantje de
  Vries") near a full date;
- ``name``: a full name with a tussenvoegsel ("Lisa de Boer"); in a child reference any
  personal name of two or more capitalised words.

Text is normalised first (NFKC, zero-width characters removed), so look-alike digits and
invisible separators do not slip through. False positives are kept low: a date without a
year, a date without a name, four-digit postcodes, ages and amounts pass.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Zero-width space, non-joiner, joiner, word joiner, byte-order mark, and the soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Dutch phone numbers: a 0 (or +31 / 0031) and nine more digits, grouped any way.
_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)31[\s.-]?(?:\(0\))?[\s.-]?|\(?0)[1-9](?:[\s./)\-–]{0,2}\d){8}(?!\d)"
)
# Groups of digits joined by one separator: the raw material for BSN candidates.
_SEP = r"(?:\s?[./\-–]\s?|\s)"
_DIGIT_RUN = re.compile(rf"(?<![\d€$])\d+(?:{_SEP}\d+)*")
_GROUP_SPLIT = re.compile(_SEP)
_POSTCODE = re.compile(r"(?<![\d\w])[1-9]\d{3}(?:\s?[A-Z]{2}|[a-z]{2})(?![\w])")
_STREET_SUFFIX = (
    "straat|straatweg|weg|laan|plein|singel|gracht|kade|dijk|hof|pad|steeg|dreef|baan|ring|markt|"
    "plantsoen|erf|wal|allee"
)
_STREET_WORDS = "|".join(w.capitalize() for w in _STREET_SUFFIX.split("|"))
_ADDRESS = re.compile(
    # "Kerkstraat 12", "Van Goghlaan 140" and "Oude Singel 7-b" (a street word on its own after
    # a capitalised word); a house number with an optional letter.
    rf"\b(?:[A-Z][a-zà-öø-ÿ'-]*(?:{_STREET_SUFFIX})|[A-Z][a-zà-öø-ÿ'-]+\s+(?:{_STREET_WORDS}))"
    rf"\s+\d{{1,5}}(?:\s?-?\s?[a-zA-Z](?![\w]))?(?!\d)"
)
_MONTHS = (
    r"jan(?:uari)?|feb(?:ruari)?|maart|mrt|apr(?:il)?|mei|jun(?:i)?|jul(?:i)?|aug(?:ustus)?|"
    r"sep(?:t(?:ember)?)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTH_NUMBER = {
    m: i + 1
    for i, names in enumerate(
        ["jan", "feb", "maa mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    )
    for m in names.split()
}
_NUMERIC_DATE = re.compile(r"(?<![\d.,])(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?![\d])")
_ISO_DATE = re.compile(r"(?<![\d])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])")
_TEXT_DATE = re.compile(rf"(?<![\d])(\d{{1,2}})\s+({_MONTHS})\.?\s+(\d{{4}})(?![\d])", re.IGNORECASE)
_BIRTH_WORDS = re.compile(r"\b(?:geboren|geb\.?|geboortedatum|born|dob|d\.o\.b\.?)(?:\s+op)?\W{0,3}$", re.I)

_NAME_WORD = r"[A-Z][a-zà-öø-ÿ]+(?:-[A-Z][a-zà-öø-ÿ]+)?"
_TUSSEN = (
    r"(?:van\s+der|van\s+den|van\s+de|van\s+'t|van\s+het|in\s+'t|op\s+de|uit\s+de"
    r"|van|de|der|den|ter|ten|te|'t)"
)
_HAS_TUSSEN = re.compile(rf"\s{_TUSSEN}\s")
_NAME = re.compile(rf"\b{_NAME_WORD}(?:\s+{_NAME_WORD})*\s+(?:{_TUSSEN}\s+)?{_NAME_WORD}\b")
# Capitalised words that start sentences or name places and organisations, not people.
_NOT_NAMES = set(
    """Op In Na Van Voor Tot Vanaf Met Bij De Het Een Wij We Ik Hij Zij Ze Jij Je U Mijn
    Onze Ons Zijn Haar Hun Kan Kun Kunnen Is Er Dit Deze Die Dat Wat Wanneer Hoe Waar Waarom Sinds
    Per Om Aan Uit Over Tijdens Elke Iedere Graag Vorige Volgende Vandaag Morgen Gisteren Hallo
    Beste Dag Groet Groeten Hoi Dank Bedankt Ja Nee Ook En Of Maar Want Dus Als Toen Nu Nog Al
    Maandag Dinsdag Woensdag Donderdag Vrijdag Zaterdag Zondag Januari Februari Maart April Mei
    Juni Juli Augustus September Oktober November December Pleegzorg Jeugdzorg Gemeente Regio
    Stichting School Basisschool Informatieavond Wervingsavond Avond Kerst Pasen Pinksteren
    Koningsdag Herfstvakantie Kerstvakantie Voorjaarsvakantie Meivakantie Zomervakantie Thuisnet
    Respijt Respijtopvang Gezinshuis Steungezin Pleeggezin Aanbieder Deventer Zutphen Apeldoorn
    Lochem Brummen Epe Voorst Heerde Hattem Hoek Huis Bergen Alphen Capelle Koog Wijk Oud Nieuw
    Kasteel Museum Park Hotel Kerk Villa Boerderij Camping""".lower().split()  # noqa: SIM905
)
_SENTENCE_END = re.compile(r"[.!?\n;]")


@dataclass(frozen=True)
class Finding:
    kind: str  # bsn | phone | email | postcode | address | birthdate | name_date | name
    text: str

    @property
    def label(self) -> str:
        return str(_LABELS[self.kind])


_LABELS = {
    "bsn": _("iets dat op een burgerservicenummer (BSN) lijkt"),
    "phone": _("een telefoonnummer"),
    "email": _("een e-mailadres"),
    "postcode": _("een postcode met letters"),
    "address": _("een adres met huisnummer"),
    "birthdate": _("een geboortedatum"),
    "name_date": _("een naam met een datum"),
    "name": _("een naam"),
}


def normalise(text: str) -> str:
    """NFKC (look-alike digits become digits) without zero-width characters."""
    return unicodedata.normalize("NFKC", text or "").translate(_INVISIBLE)


def is_valid_bsn(digits: str) -> bool:
    """The eleven test (elfproef) for a BSN: 9 digits, weights 9..2 and -1, sum % 11 == 0."""
    digits = re.sub(r"\D", "", digits)
    if len(digits) != 9 or digits == "000000000":
        return False
    weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def find_identifiers(text: str, *, child_reference: bool = False) -> list[Finding]:
    """Everything in ``text`` that could identify a person (see the module docstring).

    ``child_reference=True`` is the stricter check for a child's reference: any full date
    counts as a birth date and any personal name counts, with or without a date.
    """
    text = normalise(text)
    findings: list[Finding] = []
    emails = [(m.span(), m.group(0)) for m in _EMAIL.finditer(text)]
    findings += [Finding("email", t) for _s, t in emails]
    phones = [m for m in _PHONE.finditer(text) if not _inside(m.span(), [s for s, _t in emails])]
    dates = _dates(text)
    date_spans = [span for span, _d in dates]
    for span, candidate in _bsn_candidates(text):
        if _overlaps(span, date_spans) or _overlaps(span, [m.span() for m in phones]):
            continue
        findings.append(Finding("bsn", candidate))
    findings += [Finding("phone", m.group(0)) for m in phones]
    findings += [Finding("postcode", m.group(0)) for m in _POSTCODE.finditer(text)]
    findings += [Finding("address", m.group(0)) for m in _ADDRESS.finditer(text)]
    names = _names(text)
    for (start, end), _d in dates:
        before = text[max(0, start - 30) : start]
        if child_reference or _BIRTH_WORDS.search(before):
            findings.append(Finding("birthdate", text[start:end]))
        for m in names:
            if _near(m.span(), (start, end), text):
                findings.append(Finding("name_date", f"{m.group(0)} … {text[start:end]}"))
    near_dates = {f.text.split(" … ")[0] for f in findings if f.kind == "name_date"}
    for m in names:
        # In free text a full name with a tussenvoegsel ("Lisa de Boer") is specific enough on
        # its own; in a child reference any name of two or more words counts.
        if m.group(0) in near_dates:
            continue
        if child_reference or _HAS_TUSSEN.search(m.group(0)):
            findings.append(Finding("name", m.group(0)))
    return _unique(findings)


def _bsn_candidates(text: str):
    """Windows of whole digit groups holding 9 digits (or 8: leading zero dropped) that pass
    the eleven test. Amounts (followed by a decimal comma) are skipped."""
    for run in _DIGIT_RUN.finditer(text):
        if re.match(r",\d", text[run.end() : run.end() + 2]):
            continue
        groups = [
            (run.start() + g.start(), run.start() + g.end(), g.group(0))
            for g in re.finditer(r"\d+", run.group(0))
        ]
        for i in range(len(groups)):
            digits = ""
            for j in range(i, len(groups)):
                if j > i and len(groups[j][2]) < 2:
                    break  # "1 2 3 4 ..." are separate small numbers, not one number
                digits += groups[j][2]
                if len(digits) > 9:
                    break
                start, end = groups[i][0], groups[j][1]
                # Nine digits, or eight: a BSN written without its leading zero.
                if is_valid_bsn(digits.rjust(9, "0")) and len(digits) in (8, 9):
                    yield (start, end), text[start:end]


def _dates(text: str) -> list[tuple[tuple[int, int], date]]:
    """Full dates (day, month and year) in numeric or written form."""
    found = []
    for m in _NUMERIC_DATE.finditer(text):
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        found.append((m.span(), _date(y if y > 99 else 2000 + y if y < 50 else 1900 + y, mo, d)))
    for m in _ISO_DATE.finditer(text):
        found.append((m.span(), _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
    for m in _TEXT_DATE.finditer(text):
        month = _MONTH_NUMBER.get(m.group(2).lower()[:3])
        found.append((m.span(), _date(int(m.group(3)), month or 0, int(m.group(1)))))
    return [(span, d) for span, d in found if d is not None]


def _date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d) if 1900 <= y <= 2100 else None
    except ValueError:
        return None


@dataclass(frozen=True)
class _Name:
    start: int
    end: int
    text: str

    def span(self) -> tuple[int, int]:
        return self.start, self.end

    def group(self, _n: int = 0) -> str:
        return self.text


def _names(text: str) -> list[_Name]:
    """Personal names: capitalised words (tussenvoegsels allowed), after dropping leading
    words that start sentences or name places ("Vandaag Lisa de Boer" gives "Lisa de Boer")."""
    out = []
    for m in _NAME.finditer(text):
        words = list(re.finditer(r"\S+", m.group(0)))
        while words and words[0].group(0).lower() in _NOT_NAMES:
            words.pop(0)
        if not words:
            continue
        start = m.start() + words[0].start()
        rest = text[start : m.end()]
        found = _NAME.fullmatch(rest)
        capitalised = [w.group(0) for w in words if w.group(0)[:1].isupper()]
        if found and not any(w.lower() in _NOT_NAMES for w in capitalised):
            out.append(_Name(start, m.end(), rest))
    return out


def _near(name: tuple[int, int], when: tuple[int, int], text: str, gap: int = 30) -> bool:
    """A name and a date within ``gap`` characters, in the same sentence."""
    if name[1] <= when[0]:
        between = text[name[1] : when[0]]
    elif when[1] <= name[0]:
        between = text[when[1] : name[0]]
    else:
        return True
    return len(between) <= gap and not _SENTENCE_END.search(between.replace("geb.", "geb"))


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in others)


def _inside(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in others)


def _unique(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        if (f.kind, f.text) not in seen:
            seen.add((f.kind, f.text))
            out.append(f)
    return out


def explain(findings: list[Finding]) -> str:
    """A Dutch sentence telling the writer what was found and why it matters."""
    kinds = []
    for f in findings:
        if f.label not in kinds:
            kinds.append(f.label)
    return str(
        _(
            "Je tekst bevat %(what)s. Om kinderen en gezinnen te beschermen mogen er geen "
            "gegevens in staan waarmee iemand te herkennen is."
        )
        % {"what": ", ".join(kinds)}
    )


CHILD_REFERENCE_MESSAGE = _(
    "Noem geen naam of geboortedatum van het kind: gebruik een eigen kenmerk (een pseudoniem), "
    "bijvoorbeeld K-2025-012."
)


def explain_child_reference(findings: list[Finding]) -> str:
    """The Dutch message for a child reference that identifies the child."""
    if all(f.kind in ("name", "name_date", "birthdate") for f in findings):
        return str(CHILD_REFERENCE_MESSAGE)
    kinds = ", ".join(dict.fromkeys(f.label for f in findings))
    return str(_("Je kenmerk bevat %(what)s.") % {"what": kinds}) + " " + str(CHILD_REFERENCE_MESSAGE)


def validate_no_identifiers(value: str) -> None:
    """Django validator for free text: refuses names with dates, birth dates, addresses,
    postcodes with letters, phone numbers, e-mail addresses and BSNs."""
    findings = find_identifiers(value or "")
    if findings:
        raise ValidationError(explain(findings), code="identifying_data")


def validate_child_reference(value: str) -> None:
    """Django validator for a child's reference: the free-text rules plus any personal name
    and any full date."""
    findings = find_identifiers(value or "", child_reference=True)
    if findings:
        raise ValidationError(explain_child_reference(findings), code="identifying_data")
