import pytest

pytestmark = pytest.mark.django_db


def test_it_shows_the_home_page_in_dutch_by_default(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "Ieder kind een thuis, dichtbij" in html
    assert "Naar de inhoud" in html  # skip link
    assert 'href="#main"' in html and 'id="main"' in html


def test_it_switches_the_interface_to_english(client, home_page):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Naar de inhoud" not in html


def test_the_language_link_switches_to_english_and_back(client, home_page):
    response = client.get("/taal/en/", {"next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    assert response.redirect_chain == [("/", 302)]
    html = client.get("/taal/nl/", {"next": "/"}, follow=True).content.decode()
    assert '<html lang="nl">' in html


def test_the_language_link_stays_on_this_site(client, home_page):
    response = client.get("/taal/en/", {"next": "https://elders.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_an_unknown_language_changes_nothing(client, home_page):
    from django.conf import settings

    response = client.get("/taal/xx/", {"next": "/informatieavonden/"})
    assert response["Location"] == "/informatieavonden/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert '<html lang="nl">' in client.get("/").content.decode()


def test_it_stays_dutch_for_a_browser_set_to_english(client, home_page):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="nl">' in html


def test_the_home_page_title_names_the_site_once(client, home_page):
    html = client.get("/").content.decode()
    assert "<title>Thuisnet</title>" in html
    assert "Thuisnet – Thuisnet" not in html
