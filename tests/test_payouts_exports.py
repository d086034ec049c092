# ruff: noqa: F811  (fixtures imported from tests.payouts_support)
"""The region exports its payouts as CSV and XLSX; other regions and roles cannot."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from respite.payouts import services
from tests.payouts_support import enable_account, payout_world, payouts_on, stripe_stub  # noqa: F401
from thuisnet.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(payouts_on, payout_world):
    enable_account(payouts_on, payout_world["host"])
    payout_world["host"].full_name = '=HYPERLINK("x")'  # a name that would run as a formula
    payout_world["host"].save()
    a = services.confirm_stay(
        payout_world["stays"][0], by=payout_world["staff"], unit="night", quantity=Decimal(2)
    )
    b = services.confirm_stay(
        payout_world["stays"][1], by=payout_world["staff"], unit="hour", quantity=Decimal("3.5")
    )
    return [a, b]


def test_the_csv_lists_every_payout_with_amounts(paid, coordinator, region, login, client):
    c = login(coordinator)
    response = c.get(reverse("payouts:export", args=[region.pk, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Uitbetaling", "Aanvraag", "Aanbieder", "Gastgezin"]
    body = {r[1]: r for r in rows[1:]}
    night = body[paid[0].booking_reference]
    assert night[4] == "per nacht" and night[5] == "2,00" and night[6] == "45,00" and night[7] == "90,00"
    assert night[9] == "overgemaakt" and night[10] == paid[0].stripe_transfer_id
    hours = body[paid[1].booking_reference]
    assert hours[5] == "3,50" and hours[7] == "17,50"
    assert night[3].startswith("'=")  # not a formula in Excel
    assert AuditLog.objects.filter(object_type="payouts.payout").exists()


def test_the_xlsx_has_the_same_rows_as_numbers(paid, coordinator, region, login, client):
    c = login(coordinator)
    response = c.get(reverse("payouts:export", args=[region.pk, "xlsx"]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][7] == "Bedrag (EUR)"
    amounts = sorted(r[7] for r in rows[1:])
    assert amounts == [17.5, 90.0]
    assert ws["H2"].number_format == "#,##0.00"
    assert len(rows) == 3


def test_other_roles_cannot_export(paid, region, staff, parent, other_region, login, client):
    for user in (staff, parent):
        c = login(user)
        assert c.get(reverse("payouts:export", args=[region.pk, "csv"])).status_code == 403


def test_the_region_page_shows_payouts_rates_and_export_links(paid, coordinator, region, login, client):
    c = login(coordinator)
    page = c.get(reverse("payouts:region_detail", args=[region.pk])).content.decode()
    assert reverse("payouts:export", args=[region.pk, "xlsx"]) in page
    assert "€ 45,00" in page and "€ 90,00" in page


def test_the_region_adds_a_rate_and_an_hourly_rate_over_the_allowance_is_refused(
    payouts_on, coordinator, region, login, client
):
    c = login(coordinator)
    url = reverse("payouts:region_detail", args=[region.pk])
    bad = c.post(url, {"rate-unit": "hour", "rate-amount": "7,50", "rate-valid_from": "2026-01-01"})
    assert bad.status_code == 200
    assert "vrijwilligersvergoeding van € 5,60 per uur" in bad.context["rate_form"].errors["amount"][0]
    ok = c.post(url, {"rate-unit": "night", "rate-amount": "40,00", "rate-valid_from": "2026-01-01"})
    assert ok.status_code == 302
    from respite.payouts.models import RateCard

    assert RateCard.objects.get(region=region, unit="night").amount_cents == 4000
