"""Issue 15 item 4: theme evenings for the parents the region already has.

Parents register with their account (no anonymous form, no prospect), see their
registrations under "Mijn activiteiten" and get news in their inbox.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from foster import selectors, services
from foster.models import EveningPage, EveningSession, Prospect, Registration
from thuisnet.accounts.inbox import inbox_of
from thuisnet.accounts.policies import can, scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme_evening(make_evening):
    return make_evening(
        title="Thema-avond omgang",
        kind="theme",
        theme="birth_parents",
        childcare=True,
        family_forms=["full_time", "support", "family_home"],
    )


def _post(client, page, **data):
    session = page.sessions.get()
    return client.post(page.url, {"session": session.pk, "attendees": 1, **data})


def test_a_theme_evening_needs_a_knowledge_theme(theme_evening):
    page = EveningPage.objects.get(pk=theme_evening.pk)
    page.theme = ""
    with pytest.raises(ValidationError) as exc:
        page.full_clean()
    assert "theme" in exc.value.message_dict


def test_a_parent_registers_with_their_account_and_no_prospect_is_made(
    client, theme_evening, parent, sent_mail
):
    client.force_login(parent)
    response = _post(client, theme_evening, childcare_children=2)
    assert response.status_code == 302 and response.url == reverse("foster:my_activities")
    reg = Registration.objects.get()
    assert (reg.user, reg.email, reg.name) == (parent, parent.email, "Jeroen Jansen")
    assert reg.status == "confirmed" and reg.childcare_children == 2
    assert not Prospect.objects.exists()
    (email,) = sent_mail()
    assert email.to == [parent.email]
    assert "Contact met ouders" in email.body and "Kinderen voor de opvang: 2" in email.body
    assert "Mijn activiteiten" in email.body
    assert any(a[0].endswith(".ics") for a in email.attachments)
    (note,) = inbox_of(parent)
    assert note.kind == "event" and "Thema-avond omgang" in note.title


def test_the_theme_evening_page_asks_visitors_to_log_in_and_shows_no_anonymous_form(client, theme_evening):
    response = client.get(theme_evening.url)
    html = response.content.decode()
    assert "Inloggen om je aan te melden" in html
    assert 'name="email"' not in html and 'name="postcode"' not in html
    # Posting without an account goes to the login page, and registers nobody.
    response = _post(client, theme_evening, name="X", email="x@example.org")
    assert response.status_code == 302 and "login" in response.url
    assert not Registration.objects.exists()


def test_the_page_shows_the_parent_form_with_their_name(client, theme_evening, parent):
    client.force_login(parent)
    html = client.get(theme_evening.url).content.decode()
    assert "Je meldt je aan als Jeroen Jansen" in html
    assert 'name="childcare_children"' in html and 'name="email"' not in html
    assert "Contact met ouders" in html and "Kinderopvang" in html


def test_someone_without_a_household_cannot_register_for_a_theme_evening(client, theme_evening, outsider):
    client.force_login(outsider)
    html = client.get(theme_evening.url).content.decode()
    assert "kun je je hiervoor niet aanmelden" in html
    assert _post(client, theme_evening).status_code == 403
    assert not Registration.objects.exists()


def test_a_parent_of_another_region_cannot_register(client, theme_evening, region_b_world):
    client.force_login(region_b_world["parent"])
    assert _post(client, theme_evening).status_code == 403


def test_a_bad_childcare_number_is_told_at_the_field_and_input_kept(client, theme_evening, parent):
    client.force_login(parent)
    response = _post(client, theme_evening, childcare_children=40)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Geef een aantal kinderen van 0 tot en met 8." in html and 'value="40"' in html


def test_registering_twice_keeps_one_registration(client, theme_evening, parent):
    client.force_login(parent)
    _post(client, theme_evening)
    _post(client, theme_evening)
    assert Registration.objects.count() == 1


def test_my_activities_lists_upcoming_and_past_with_a_cancel_link(
    client, theme_evening, make_evening, parent
):
    session = theme_evening.sessions.get()
    reg = services.register_parent(session, parent).registration
    old = make_evening(title="Thema-avond school", kind="theme", theme="school", days=20)
    old_session = old.sessions.get()
    old_reg = services.register_parent(old_session, parent).registration
    EveningSession.objects.filter(pk=old_session.pk).update(
        starts_at=session.starts_at - timedelta(days=40), ends_at=session.ends_at - timedelta(days=40)
    )
    client.force_login(parent)
    response = client.get(reverse("foster:my_activities"))
    html = response.content.decode()
    assert response.status_code == 200
    upcoming, past = html.split("Geweest")
    assert "Thema-avond omgang" in upcoming and reg.get_absolute_url() in upcoming
    assert "Thema-avond school" in past and old_reg.get_absolute_url() not in past


def test_my_activities_needs_an_account_and_a_household(client, outsider):
    url = reverse("foster:my_activities")
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_a_seat_from_the_waiting_list_reaches_the_parents_inbox(
    make_evening, parent, support_parent, sent_mail
):
    page = make_evening(kind="theme", theme="money", capacity=1)
    session = page.sessions.get()
    first = services.register_parent(session, support_parent).registration
    waiting = services.register_parent(session, parent).registration
    assert waiting.status == "waiting"
    services.cancel(first)
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    titles = [n.title for n in inbox_of(parent)]
    assert any(t.startswith("Er is een plaats vrij bij") for t in titles)
    assert any(t.startswith("Je staat op de wachtlijst") for t in titles)


def test_moving_a_theme_evening_tells_the_parent_in_one_email_and_their_inbox(
    theme_evening, parent, sent_mail
):
    services.register_parent(theme_evening.sessions.get(), parent)
    n = len(sent_mail())
    page = EveningPage.objects.get(pk=theme_evening.pk)
    page.starts_at += timedelta(hours=1)
    page.ends_at += timedelta(hours=1)
    page.save_revision().publish()
    changed = sent_mail()[n:]
    assert [m.subject for m in changed] == ["Gewijzigd: Thema-avond omgang"]
    assert any(n.title == "Gewijzigd: Thema-avond omgang" for n in inbox_of(parent))


def test_recruitment_evenings_still_make_a_prospect(evening, session, person):
    services.register(session, person())
    assert Prospect.objects.exists() and Registration.objects.get().user is None


# --- the policy matrix of the new capabilities -------------------------------------------

ROLES = ["anonymous", "parent", "support_parent", "staff", "coordinator", "editor", "admin_user", "outsider"]


@pytest.mark.parametrize(
    "capability,allowed",
    [
        ("foster.register_as_parent", {"parent", "support_parent"}),
        ("foster.my_activities", {"parent", "support_parent"}),
    ],
)
def test_parent_capabilities_matrix(request, capability, allowed, theme_evening):
    for name in ROLES:
        user = None if name == "anonymous" else request.getfixturevalue(name)
        assert can(user, capability, theme_evening) == (name in allowed), (capability, name)


def test_register_as_parent_scope_agrees_with_the_rule(
    theme_evening, make_evening, parent, support_parent, outsider, region_b_world
):
    only_foster = make_evening(kind="theme", theme="school", family_forms=["full_time"])
    pages = EveningPage.objects.filter(pk__in=[theme_evening.pk, only_foster.pk])
    for user in (parent, support_parent, outsider, region_b_world["parent"]):
        scoped = set(scope(user, "foster.register_as_parent", pages).values_list("pk", flat=True))
        assert scoped == {p.pk for p in pages if can(user, "foster.register_as_parent", p)}
    assert set(scope(support_parent, "foster.register_as_parent", pages)) == {
        EveningPage.objects.get(pk=theme_evening.pk)
    }
    sessions = EveningSession.objects.filter(page__in=pages)
    assert scope(parent, "foster.register_as_parent", sessions).count() == 2


def test_the_anonymous_registration_and_the_api_refuse_a_theme_evening(client, theme_evening, person):
    session = theme_evening.sessions.get()
    with pytest.raises(services.RegistrationError) as exc:
        services.register(session, person())
    assert exc.value.code == "account_required"
    from rest_framework.test import APIClient

    body = {
        "name": "Anna de Vries",
        "email": "anna@example.org",
        "postcode": "7411",
        "attendees": 1,
        "interests": ["full_time"],
        "source": "website",
        "consent": True,
    }
    response = APIClient().post(f"/api/v1/avonden/{session.pk}/aanmeldingen/", body, format="json")
    assert response.status_code == 409 and "met je account" in response.content.decode()
    assert not Registration.objects.exists() and not Prospect.objects.exists()


def test_a_vacancy_does_not_suggest_a_theme_evening(
    theme_evening, make_evening, region, municipalities, provider
):
    from foster.models import VacancyPage

    recruitment = make_evening(title="Wervingsavond")
    vacancy = VacancyPage(
        title="Meisje van 6 zoekt pleeggezin",
        slug="meisje-6",
        region=region,
        age_band="4-7",
        interests="Tekenen",
        needs="Rust",
        municipality=municipalities["deventer"],
        family_form="full_time",
        provider=provider,
    )
    theme_evening.get_parent().add_child(instance=vacancy)
    vacancy.save_revision().publish()
    assert [e.pk for e in selectors.evenings_for_vacancy(vacancy)] == [recruitment.pk]
