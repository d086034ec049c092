# ruff: noqa: F811  (fixtures imported from tests.payouts_support)
"""The payout pages: a host onboards to Stripe Express from its own page and sees the status;
the provider confirms a completed stay in a form that answers in Dutch at the field."""

import pytest
from django.urls import reverse

from respite.payouts.models import ConnectedAccount, Payout
from tests.payouts_support import enable_account, payout_world, payouts_on, stripe_stub  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_host_starts_onboarding_and_is_sent_to_stripe(payouts_on, payout_world, login, client):
    login(payout_world["host"])
    page = client.get(reverse("payouts:overview"))
    assert page.status_code == 200
    assert "nog geen account" in page.content.decode()
    response = client.post(reverse("payouts:onboard"))
    assert response.status_code == 302
    account = ConnectedAccount.objects.get(user=payout_world["host"])
    assert response["Location"].startswith(
        f"https://connect.stripe.test/setup/e/{account.stripe_account_id}/"
    )
    created = next(r for r in payouts_on.requests if r["path"] == "/v1/accounts")
    assert created["form"]["type"] == "express"
    assert created["form"]["capabilities[transfers][requested]"] == "true"
    link = next(r for r in payouts_on.requests if r["path"] == "/v1/account_links")
    assert link["form"]["type"] == "account_onboarding"
    assert link["form"]["return_url"].endswith(reverse("payouts:onboard_return"))
    assert link["form"]["refresh_url"].endswith(reverse("payouts:onboard_refresh"))


def test_the_return_url_shows_the_account_status(payouts_on, payout_world, login, client):
    login(payout_world["host"])
    client.post(reverse("payouts:onboard"))
    account = ConnectedAccount.objects.get(user=payout_world["host"])
    payouts_on.accounts[account.stripe_account_id].update(details_submitted=True, payouts_enabled=True)
    page = client.get(reverse("payouts:onboard_return"), follow=True)
    account.refresh_from_db()
    assert account.status == ConnectedAccount.Status.ENABLED
    text = page.content.decode()
    assert "klaar voor uitbetalingen" in text
    assert "Account aanmaken bij Stripe" not in text


def test_the_refresh_url_makes_a_new_link_for_the_same_account(payouts_on, payout_world, login, client):
    login(payout_world["host"])
    client.post(reverse("payouts:onboard"))
    again = client.get(reverse("payouts:onboard_refresh"))
    assert again.status_code == 302 and "connect.stripe.test" in again["Location"]
    assert ConnectedAccount.objects.count() == 1
    assert len([r for r in payouts_on.requests if r["path"] == "/v1/accounts"]) == 1


def test_a_parent_who_hosts_nothing_cannot_onboard(payouts_on, payout_world, parent, login, client):
    login(parent)
    assert client.post(reverse("payouts:onboard")).status_code == 403
    assert payouts_on.requests == []


def test_the_provider_confirms_a_stay_and_the_host_is_paid(payouts_on, payout_world, login, client):
    enable_account(payouts_on, payout_world["host"])
    stay = payout_world["stays"][0]
    c = login(payout_world["staff"])
    listing = c.get(reverse("payouts:provider")).content.decode()
    assert reverse("payouts:confirm", args=[stay.pk]) in listing
    form = c.get(reverse("payouts:confirm", args=[stay.pk]))
    assert "€ 45,00 per nacht" in form.content.decode()
    done = c.post(reverse("payouts:confirm", args=[stay.pk]), {"unit": "night", "quantity": "2"}, follow=True)
    assert "€ 90,00 is overgemaakt" in done.content.decode()
    assert Payout.objects.get(booking=stay).status == Payout.Status.PAID


def test_the_confirm_form_shows_the_cap_refusal_at_the_field_and_keeps_the_input(
    payouts_on, payout_world, login, client
):
    enable_account(payouts_on, payout_world["host"])
    c = login(payout_world["staff"])
    for stay in payout_world["stays"][:2]:
        c.post(reverse("payouts:confirm", args=[stay.pk]), {"unit": "night", "quantity": "2"})
    third = payout_world["stays"][2]
    page = c.post(reverse("payouts:confirm", args=[third.pk]), {"unit": "night", "quantity": "2"})
    assert page.status_code == 200
    form = page.context["form"]
    assert "per maand" in form.errors["quantity"][0]
    html = page.content.decode()
    assert 'id="id_quantity_error"' in html
    assert 'value="2"' in html
    assert Payout.objects.filter(booking=third).count() == 0


def test_the_confirm_form_answers_empty_and_bad_input_in_dutch(payouts_on, payout_world, login, client):
    enable_account(payouts_on, payout_world["host"])
    c = login(payout_world["staff"])
    url = reverse("payouts:confirm", args=[payout_world["stays"][0].pk])
    empty = c.post(url, {"unit": "night", "quantity": ""})
    assert empty.context["form"].errors["quantity"] == ["Vul het aantal nachten, dagdelen of uren in."]
    bad = c.post(url, {"unit": "night", "quantity": "twee"})
    assert bad.context["form"].errors["quantity"] == ["Vul een getal in, bijvoorbeeld 2 of 3,5."]
    half = c.post(url, {"unit": "night", "quantity": "1,5"})
    assert half.context["form"].errors["quantity"] == ["Nachten en dagdelen tel je in hele getallen."]
    assert payouts_on.transfer_posts() == []


def test_staff_of_another_provider_cannot_confirm(payouts_on, payout_world, other_staff, login, client):
    c = login(other_staff)
    url = reverse("payouts:confirm", args=[payout_world["stays"][0].pk])
    assert c.get(url).status_code == 403
    assert c.post(url, {"unit": "night", "quantity": "2"}).status_code == 403


def test_the_host_sees_its_payouts_and_the_allowance_used(payouts_on, payout_world, login, client):
    enable_account(payouts_on, payout_world["host"])
    c = login(payout_world["staff"])
    c.post(reverse("payouts:confirm", args=[payout_world["stays"][0].pk]), {"unit": "night", "quantity": "2"})
    host = login(payout_world["host"])
    text = host.get(reverse("payouts:overview")).content.decode()
    assert "€ 90,00" in text and "€ 210,00" in text and "overgemaakt" in text
