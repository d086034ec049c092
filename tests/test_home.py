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


def test_it_stays_dutch_for_a_browser_set_to_english(client, home_page):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="nl">' in html


def test_the_home_page_title_names_the_site_once(client, home_page):
    html = client.get("/").content.decode()
    assert "<title>Thuisnet</title>" in html
    assert "Thuisnet – Thuisnet" not in html
