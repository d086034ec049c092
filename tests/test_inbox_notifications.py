"""One inbox ("Mijn meldingen", issue 13 item 2): notify() writes with the caller's
transaction, the page lists, marks read and pages, and the header shows the unread count."""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.query_budget import same_budget
from thuisnet.accounts.inbox import notify, unread_count
from thuisnet.accounts.models import Notification

pytestmark = pytest.mark.django_db


def test_notify_writes_one_notification(parent):
    notify(
        parent,
        kind="booking",
        title="Je aanvraag is geaccepteerd",
        url="/respijt/aanvragen/1/",
        body="Tot zaterdag",
    )
    row = Notification.objects.get()
    assert (row.recipient, row.kind, row.title, row.url, row.body) == (
        parent,
        "booking",
        "Je aanvraag is geaccepteerd",
        "/respijt/aanvragen/1/",
        "Tot zaterdag",
    )
    assert row.read_at is None
    assert unread_count(parent) == 1


def test_a_rolled_back_change_leaves_no_notification(parent):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(parent, kind="message", title="Nieuw bericht")
        raise RuntimeError("the booking change failed")
    assert not Notification.objects.exists()


def test_it_rejects_an_unknown_kind(parent):
    with pytest.raises(ValueError):
        notify(parent, kind="spam", title="x")


def test_the_inbox_lists_only_the_persons_own_notifications(login, parent, support_parent, home_page):
    notify(parent, kind="booking", title="Aanvraag geaccepteerd")
    notify(support_parent, kind="question", title="Iemand antwoordde op je vraag")
    html = login(parent).get("/meldingen/").content.decode()
    assert "Aanvraag geaccepteerd" in html
    assert "Iemand antwoordde" not in html
    assert "<h1>Mijn meldingen</h1>" in html


def test_the_header_shows_the_unread_count_in_words(login, parent, home_page):
    client = login(parent)
    html = client.get("/meldingen/").content.decode()
    assert "ongelezen melding" not in html
    for i in range(3):
        notify(parent, kind="event", title=f"Avond gewijzigd {i}")
    html = client.get("/zoeken/").content.decode()
    assert "3 ongelezen meldingen" in html
    assert re.search(r'class="inbox-link__count" aria-hidden="true">3<', html)


@pytest.mark.parametrize("who", ["parent", "staff", "coordinator", "editor"])
def test_every_logged_in_role_sees_the_inbox_link(who, request, login, home_page):
    user = request.getfixturevalue(who)
    notify(user, kind="message", title="Hallo")
    html = login(user).get("/").content.decode()
    assert 'href="/meldingen/"' in html
    assert "1 ongelezen melding)" in html


def test_visitors_see_no_inbox_and_the_page_asks_to_log_in(client, home_page):
    assert 'href="/meldingen/"' not in client.get("/").content.decode()
    response = client.get("/meldingen/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_opening_a_notification_marks_it_read_and_follows_its_link(login, parent, home_page):
    notify(parent, kind="booking", title="Geaccepteerd", url="/respijt/mijn-aanvragen/")
    row = Notification.objects.get()
    response = login(parent).post(f"/meldingen/{row.pk}/gelezen/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/respijt/mijn-aanvragen/"
    row.refresh_from_db()
    assert row.read_at is not None
    assert unread_count(parent) == 0


def test_a_notification_with_a_foreign_link_is_not_followed(login, parent, home_page):
    notify(parent, kind="message", title="Link", url="https://evil.example/")
    row = Notification.objects.get()
    response = login(parent).post(f"/meldingen/{row.pk}/gelezen/", {"open": "1"})
    assert response["Location"].startswith("/meldingen/")


def test_someone_else_cannot_mark_my_notification(login, parent, support_parent, home_page):
    notify(parent, kind="message", title="Van mij")
    row = Notification.objects.get()
    login(support_parent).post(f"/meldingen/{row.pk}/gelezen/")
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_all_read_empties_the_badge(login, parent, support_parent, home_page):
    for i in range(4):
        notify(parent, kind="question", title=f"Antwoord {i}")
    notify(support_parent, kind="question", title="Niet van jou")
    client = login(parent)
    response = client.post("/meldingen/alles-gelezen/")
    assert response.status_code == 302
    assert unread_count(parent) == 0
    assert unread_count(support_parent) == 1
    assert "ongelezen melding" not in client.get("/meldingen/").content.decode()


def test_marking_needs_a_post(login, parent, home_page):
    assert login(parent).get("/meldingen/alles-gelezen/").status_code == 405


def test_the_inbox_is_paginated(login, parent, home_page):
    for i in range(25):
        notify(parent, kind="event", title=f"Melding nummer {i:02d}")
    client = login(parent)
    first = client.get("/meldingen/").content.decode()
    assert "Melding nummer 24" in first and "Melding nummer 04" not in first
    assert "Pagina 1 van 2" in first
    second = client.get("/meldingen/?pagina=2").content.decode()
    assert "Melding nummer 04" in second and "Melding nummer 24" not in second


def test_the_inbox_query_budget_does_not_grow(login, parent, home_page, django_assert_max_num_queries):
    client = login(parent)
    for i in range(2):
        notify(parent, kind="booking", title=f"B{i}")

    def grow():
        for i in range(18):
            notify(parent, kind="message", title=f"M{i}", body="tekst")

    same_budget(client, "/meldingen/", grow, django_assert_max_num_queries)


def test_the_badge_costs_one_query(login, parent, home_page):
    client = login(parent)
    client.get("/zoeken/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/zoeken/")
    badge = [q for q in ctx.captured_queries if "accounts_notification" in q["sql"]]
    assert len(badge) == 1
