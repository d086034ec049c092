"""The region's payouts as CSV (semicolon, UTF-8 with BOM for Excel) and XLSX (openpyxl)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Payout


def headers() -> list[str]:
    return [
        _("Uitbetaling"),
        _("Aanvraag"),
        _("Aanbieder"),
        _("Gastgezin"),
        _("Eenheid"),
        _("Aantal"),
        _("Tarief (EUR)"),
        _("Bedrag (EUR)"),
        _("Periode"),
        _("Status"),
        _("Stripe-transfer"),
        _("Betaald op"),
    ]


def _euro(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def rows(payouts: Iterable[Payout]) -> list[list]:
    out = []
    for p in payouts:
        out.append(
            [
                p.pk,
                p.booking_reference,
                p.provider.name,
                p.host.full_name or p.host.email,
                p.get_unit_display(),
                p.quantity,
                _euro(p.rate_cents),
                _euro(p.amount_cents),
                p.period.strftime("%Y-%m"),
                p.get_status_display(),
                p.stripe_transfer_id,
                timezone.localtime(p.paid_at).strftime("%Y-%m-%d %H:%M") if p.paid_at else "",
            ]
        )
    return out


def _safe(value):
    """Text a spreadsheet would run as a formula gets a leading quote (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def as_csv(payouts: Iterable[Payout]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(headers())
    for row in rows(payouts):
        writer.writerow([str(v).replace(".", ",") if isinstance(v, Decimal) else _safe(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def as_xlsx(payouts: Iterable[Payout]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = _("Uitbetalingen")[:31]
    ws.append(headers())
    for row in rows(payouts):
        ws.append([float(v) if isinstance(v, Decimal) else _safe(v) for v in row])
    for col in ("G", "H"):
        for cell in ws[col][1:]:
            cell.number_format = "#,##0.00"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
