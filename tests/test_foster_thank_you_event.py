"""Issue 15 item 4: the thank-you event (bedankmoment) — households invited, each answers
through a personal link with guests and dietary wishes; seats from the same ledger."""

from __future__ import annotations

import pytest
from django.urls import reverse

from foster import selectors, services
from foster.models import Invitation, Prospect, Registration
from thuisnet.accounts.inbox import inbox_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def thanks(make_evening):
    return make_evening(
        title="Bedankmoment pleegouders",
        kind="thanks",
        capacity=6,
        family_forms=["full_time", "support", "family_home"],
    )


@pytest.fixture
def bare_household(region, municipalities):
    """A foster household without an account."""
    from thuisnet.accounts.models import Household

    return Household.objects.create(
        region=region,
        municipality=municipalities["deventer"],
        family_form="foster",
        display_name="Gezin Smit",
    )


def _answer(client, inv, **data):
    return client.post(reverse("foster:invitation", args=[inv.token]), data)


def test_the_organiser_invites_the_regions_foster_households(
    client, login, coordinator, thanks, parent, support_parent, bare_household, sent_mail
):
    login(coordinator)
    url = reverse("foster:invite", args=[thanks.pk])
    response = client.post(url, {"groups": ["foster"]})
    assert response.status_code == 302
    invited = set(Invitation.objects.filter(page=thanks).values_list("household_id", flat=True))
    assert invited == {parent.household_id, bare_household.pk}  # not the support family
    mails = sent_mail()
    assert [m.to for m in mails] == [[parent.email]]  # the household without account has no address
    assert "Uitnodiging" in mails[0].subject and "/avonden/uitnodiging/" in mails[0].body
    assert any(n.kind == "event" for n in inbox_of(parent))
    # Inviting again (now all groups) invites only the support family, once.
    client.post(url, {"groups": ["foster", "support", "family_home"]})
    assert Invitation.objects.filter(page=thanks).count() == 3
    page = client.get(url).content.decode()
    assert "Gezin Smit" in page  # its link is shown to be passed on
    assert Invitation.objects.get(household=bare_household).token in page


def test_choosing_no_households_is_refused_at_the_field(client, login, coordinator, thanks):
    login(coordinator)
    response = client.post(reverse("foster:invite", args=[thanks.pk]), {})
    assert response.status_code == 400
    assert "Kies minstens één soort gezin." in response.content.decode()


def test_a_household_without_account_answers_yes_with_guests_and_dietary_wishes(
    client, thanks, bare_household, sent_mail
):
    services.invite(thanks, ["foster"])
    inv = Invitation.objects.get(household=bare_household)
    response = _answer(
        client, inv, coming="ja", guests="4", dietary="2 keer vegetarisch", email="smit@example.org"
    )
    assert response.status_code == 302
    inv.refresh_from_db()
    reg = inv.registration
    assert inv.coming and reg.status == "confirmed" and reg.attendees == 4
    assert reg.name == "Gezin Smit" and reg.dietary == "2 keer vegetarisch"
    assert thanks.sessions.get().held == 4
    assert not Prospect.objects.exists()
    (mail,) = sent_mail()
    assert mail.to == ["smit@example.org"] and any(a[0].endswith(".ics") for a in mail.attachments)


def test_guests_beyond_the_free_seats_go_on_the_waiting_list_never_overbooked(
    client, thanks, parent, bare_household
):
    services.invite(thanks, ["foster"])
    first = Invitation.objects.get(household=bare_household)
    second = Invitation.objects.get(household=parent.household)
    _answer(client, first, coming="ja", guests="5", email="smit@example.org")
    _answer(client, second, coming="ja", guests="2", email=parent.email)
    second.refresh_from_db()
    assert second.registration.status == "waiting"
    session = thanks.sessions.get()
    assert session.held == 5 <= session.capacity
    # The first household says no after all: the seats go to the waiting list.
    _answer(client, first, coming="nee")
    second.registration.refresh_from_db()
    assert second.registration.status == "offered"
    first.refresh_from_db()
    assert first.coming is False and first.registration.status == "cancelled"


def test_changing_the_number_of_guests_takes_or_frees_the_difference(client, thanks, bare_household):
    services.invite(thanks, ["foster"])
    inv = Invitation.objects.get(household=bare_household)
    _answer(client, inv, coming="ja", guests="2", email="smit@example.org")
    _answer(client, inv, coming="ja", guests="3", email="smit@example.org")
    assert thanks.sessions.get().held == 3
    response = _answer(client, inv, coming="ja", guests="9", email="smit@example.org")
    assert "Er is geen plaats meer voor meer gasten" in response.content.decode()
    assert thanks.sessions.get().held == 3


@pytest.mark.parametrize(
    ("data", "field_text"),
    [
        (
            {"coming": "ja", "guests": "11", "email": "a@example.org"},
            "Geef een aantal gasten van 1 tot en met 10.",
        ),
        ({"coming": "ja", "guests": "2"}, "Vul je e-mailadres in voor de bevestiging."),
        (
            {"coming": "ja", "guests": "2", "email": "a@example.org", "dietary": "Bel 06 12345678"},
            "telefoonnummer",
        ),
        ({}, "Kies of je komt."),
    ],
)
def test_a_bad_answer_is_told_at_the_field_and_keeps_the_input(
    client, thanks, bare_household, data, field_text
):
    services.invite(thanks, ["foster"])
    inv = Invitation.objects.get(household=bare_household)
    response = _answer(client, inv, **data)
    text = response.content.decode()
    assert response.status_code == 400 and field_text in text
    assert not Registration.objects.exists()


def test_the_event_page_says_it_is_by_invitation_and_has_no_form(client, thanks, person):
    text = client.get(thanks.url).content.decode()
    assert "op uitnodiging" in text
    assert 'name="email"' not in text
    response = client.post(
        thanks.url, {"session": thanks.sessions.get().pk, "name": "X", "email": "x@example.org"}
    )
    assert response.status_code == 302 and not Registration.objects.exists()
    with pytest.raises(services.RegistrationError) as err:
        services.register(thanks.sessions.get(), person())
    assert err.value.code == "invitation_only"


def test_a_parent_with_an_account_sees_the_invitation_and_the_answer_in_mijn_activiteiten(
    client, login, thanks, parent
):
    services.invite(thanks, ["foster"])
    login(parent)
    text = client.get(reverse("foster:my_activities")).content.decode()
    assert thanks.title in text and "Nog niet beantwoord" in text
    inv = Invitation.objects.get(household=parent.household)
    form = client.get(inv.get_absolute_url()).content.decode()
    assert parent.email in form  # the account's address is filled in
    _answer(client, inv, coming="ja", guests="3", email=parent.email)
    reg = Registration.objects.get()
    assert reg.user == parent
    data = selectors.my_activities(parent)
    assert [r.pk for r in data["upcoming"]] == [reg.pk]


def test_the_organiser_sees_guest_count_and_dietary_wishes_without_names(
    client, login, coordinator, thanks, parent, bare_household
):
    services.invite(thanks, ["foster"])
    for inv, email, diet in [
        (Invitation.objects.get(household=bare_household), "smit@example.org", "glutenvrij"),
        (Invitation.objects.get(household=parent.household), parent.email, "halal"),
    ]:
        services.answer_invitation(inv, services.Answer(coming=True, guests=2, dietary=diet, email=email))
    login(coordinator)
    response = client.get(reverse("foster:invite", args=[thanks.pk]))
    text = response.content.decode()
    summary = response.context["summary"]
    assert (summary["yes"], summary["guests"], summary["dietary"]) == (2, 4, ["glutenvrij", "halal"])
    assert "<li>glutenvrij</li>" in text and "<li>halal</li>" in text


def test_a_personal_link_that_does_not_exist_is_a_clear_404(client):
    response = client.get(reverse("foster:invitation", args=["niet-bestaand"]))
    assert response.status_code == 404 and "Deze link klopt niet" in response.content.decode()


def test_someone_else_cannot_open_the_invitation_screen(client, login, thanks, parent):
    login(parent)
    assert client.get(reverse("foster:invite", args=[thanks.pk])).status_code == 403


def test_attendance_per_kind_lists_thank_you_events_suppressed(thanks):
    rows = selectors.attendance_by_kind(thanks.sessions.all())
    kinds = {r["kind"]: r for r in rows}
    assert "thanks" in kinds and kinds["thanks"]["label"] == "Bedankmoment (op uitnodiging)"


def test_the_registration_link_of_an_answer_sends_guest_changes_to_the_invitation(
    client, thanks, bare_household
):
    services.invite(thanks, ["foster"])
    inv = Invitation.objects.get(household=bare_household)
    _answer(client, inv, coming="ja", guests="4", email="smit@example.org")
    reg = Registration.objects.get()
    text = client.get(reg.get_absolute_url()).content.decode()
    assert "via de link in je uitnodiging" in text and 'value="attendees"' not in text
    client.post(reg.get_absolute_url(), {"action": "attendees", "attendees": "1"})
    reg.refresh_from_db()
    assert reg.attendees == 4
