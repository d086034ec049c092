"""Write to the append-only audit log. Every read of placement or child data by staff."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import AuditLog
from .net import client_ip

# Codes stay stable in the database (exports, queries); people read them in words.
ACTION_LABELS = {
    "read": _("ingezien"),
    "update": _("gewijzigd"),
    "create": _("aangemaakt"),
    "delete": _("verwijderd"),
    "export": _("geëxporteerd"),
    "import": _("ingelezen"),
    "knowledge.verify": _("antwoord geverifieerd"),
    "knowledge.unverify": _("verificatie ingetrokken"),
    "knowledge.convert": _("antwoord omgezet in artikel"),
    "startpath.document": _("document bij startpad-stap"),
    "payouts.retry": _("uitbetaling opnieuw verstuurd"),
}

OBJECT_TYPE_LABELS = {
    "placement": _("plaatsing"),
    "placement_list": _("plaatsingenlijst"),
    "placement_file": _("plaatsingenbestand"),
    "placement_report": _("plaatsingsrapportage"),
    "placement_target": _("plaatsingsdoel"),
    "registration": _("aanmelding voor een avond"),
    "prospect": _("aspirant-pleegouder"),
    "respite.booking.child": _("kindgegevens bij respijtaanvraag"),
    "payouts.payout": _("uitbetaling"),
    "knowledge.answer": _("antwoord"),
    "knowledge.starter": _("starter op het startpad"),
    "knowledge.starter_document": _("document van een starter"),
    "knowledge.stepprogress": _("voortgang startpad-stap"),
}


def action_label(code: str) -> str:
    """The action in words ("ingezien" for "read"); unknown codes as they are."""
    return str(ACTION_LABELS.get(code, code))


def object_type_label(code: str) -> str:
    """The kind of record in words ("plaatsing" for "placement"); unknown codes as they are."""
    return str(OBJECT_TYPE_LABELS.get(code, code))


def record(
    actor,
    action: str,
    object_type: str,
    object_ref: str = "",
    *,
    request: HttpRequest | None = None,
    **detail,
) -> AuditLog:
    ip = None
    if request is not None:
        ip = client_ip(request) or None
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditLog.objects.create(
        actor=actor if authenticated else None,
        actor_label=str(actor.email) if authenticated else "system",
        action=action,
        object_type=object_type,
        object_ref=str(object_ref)[:255],
        detail=detail,
        ip=ip,
    )


def record_read(
    actor,
    object_type: str,
    refs,
    *,
    request: HttpRequest | None = None,
    action: str = "read",
    **detail,
) -> AuditLog | None:
    """One audit row for one request that showed ``refs`` (ids or references) of a type.

    Lists, exports and API list responses call this once with every record they showed,
    rather than once per record: the log says who saw what, in one row per request.
    Nothing is written when the response showed no such record.
    """
    refs = [str(r) for r in refs]
    if not refs:
        return None
    label = refs[0] if len(refs) == 1 else f"{len(refs)}: {', '.join(refs)}"
    return record(
        actor,
        action,
        object_type,
        label[:255],
        request=request,
        refs=refs,
        path=request.path if request is not None else "",
        **detail,
    )
