"""Language (issue 16 item 3): informal Dutch, "inloggen" for signing in, correct spelling in
allauth's and Django's texts, and lang="nl" on Dutch CMS content in the English interface."""

from __future__ import annotations

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("english", "dutch"),
    [
        ("Sign In", "Inloggen"),
        ("Sign Out", "Uitloggen"),
        ("Confirmation email sent to %(email)s.", "Bevestigingsmail verstuurd naar %(email)s."),
        ("Your password can’t be entirely numeric.", "Je wachtwoord mag niet alleen uit cijfers bestaan."),
    ],
)
def test_library_texts_are_informal_and_spelt_right(english, dutch):
    with translation.override("nl"):
        assert translation.gettext(english) == dutch


def test_no_formal_or_misspelt_dutch_on_the_account_pages(client, home_page):
    for url in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        html = client.get(url).content.decode()
        for bad in ["Uw ", " uw ", "a.u.b.", "Bevestigings e-mail", "Aanmelden</", ">Aanmelden"]:
            assert bad not in html, (url, bad)


def test_the_login_page_says_inloggen(client, home_page):
    html = client.get("/accounts/login/").content.decode()
    assert "Inloggen" in html


def test_password_rules_are_informal(client, home_page):
    response = client.post(
        "/accounts/signup/", {"email": "a@example.org", "password1": "12345678", "password2": "12345678"}
    )
    html = response.content.decode()
    assert "Uw wachtwoord" not in html
    assert "Je wachtwoord" in html


def test_dutch_cms_content_is_marked_dutch_in_the_english_interface(client, home_page):
    dutch = client.get("/").content.decode()
    assert '<div lang="nl">' not in dutch
    client.cookies["thuisnet_language"] = "en"
    english = client.get("/").content.decode()
    assert '<html lang="en">' in english
    assert '<div lang="nl">' in english
    assert english.index('<div lang="nl">') < english.index("Ieder kind een thuis")


def test_app_pages_are_not_wrapped(client, home_page):
    client.cookies["thuisnet_language"] = "en"
    assert '<div lang="nl">' not in client.get("/zoeken/").content.decode()


def test_content_lang_tag_marks_dutch_only_in_other_languages():
    from django.template import Context, Template

    t = Template("{% load thuisnet_i18n %}<p{% content_lang %}>x</p>")
    with translation.override("nl"):
        assert t.render(Context()) == "<p>x</p>"
    with translation.override("en"):
        assert t.render(Context()) == '<p lang="nl">x</p>'


def test_the_403_page_offers_a_way_onward(client, login, parent, home_page):
    html = client.get("/respijt/regio/").content.decode()
    assert "/accounts/login/?next=" in html or client.get("/respijt/regio/").status_code == 302
    response = login(parent).get("/respijt/regio/")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'href="/meldingen/"' in html and "Naar de startpagina" in html
