"""Spot identifying data in free text: citizen numbers (BSN), phone numbers, emails.

Children in care must not be identifiable from what parents and staff type. Text that
contains any of these is held (questions) or refused (child needs) with an explanation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Dutch phone numbers: 06-12345678, 0612345678, +31 6 1234 5678, 055-1234567, 0031...
_PHONE = re.compile(r"(?<!\d)(?:(?:\+|00)31[\s-]?|0)(?:[1-9][\s-]?\d)(?:[\s-]?\d){7}(?!\d)")
# Nine digits, maybe grouped by spaces or dots, not part of a longer number or amount.
_NINE_DIGITS = re.compile(r"(?<!\d)(?<!\d[.,])(\d[\s.]?){8}\d(?!\d)(?![.,]\d)")


@dataclass(frozen=True)
class Finding:
    kind: str  # "bsn" | "phone" | "email"
    text: str

    @property
    def label(self) -> str:
        return str(_LABELS[self.kind])


_LABELS = {
    "bsn": _("iets dat op een burgerservicenummer (BSN) lijkt"),
    "phone": _("een telefoonnummer"),
    "email": _("een e-mailadres"),
}


def is_valid_bsn(digits: str) -> bool:
    """The eleven test (elfproef) for a BSN: 9 digits, weights 9..2 and -1, sum % 11 == 0."""
    digits = re.sub(r"\D", "", digits)
    if len(digits) != 9 or digits == "000000000":
        return False
    weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def find_identifiers(text: str) -> list[Finding]:
    findings: list[Finding] = []
    for m in _EMAIL.finditer(text or ""):
        findings.append(Finding("email", m.group(0)))
    for m in _NINE_DIGITS.finditer(text or ""):
        if is_valid_bsn(m.group(0)):
            findings.append(Finding("bsn", m.group(0)))
    for m in _PHONE.finditer(text or ""):
        if not any(
            f.kind == "bsn" and re.sub(r"\D", "", f.text) in re.sub(r"\D", "", m.group(0)) for f in findings
        ):
            findings.append(Finding("phone", m.group(0)))
    return findings


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
