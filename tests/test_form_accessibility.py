"""Hints and errors are announced: every aria-describedby names an element on the page."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django import forms
from django.template.loader import render_to_string


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if a.get("aria-describedby"):
            self.described.append((a.get("name") or tag, a["aria-describedby"]))


def dangling_describedby(html: str) -> list[str]:
    """The aria-describedby references in ``html`` that name no element (empty is right)."""
    parser = _Ids()
    parser.feed(html)
    return [
        f"{name} -> {ref}" for name, refs in parser.described for ref in refs.split() if ref not in parser.ids
    ]


class _ChildForm(forms.Form):
    reference = forms.CharField(label="Kenmerk", help_text="Nooit een naam")
    notes = forms.CharField(label="Bijzonderheden", required=False)
    needs = forms.MultipleChoiceField(
        label="Behoeften",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Kies wat past",
    )
    agree = forms.BooleanField(label="Akkoord", help_text="Verplicht")


def _render(form) -> str:
    return render_to_string("includes/form.html", {"form": form})


def test_it_links_the_hint_to_its_input():
    html = _render(_ChildForm())
    assert 'aria-describedby="id_reference_helptext"' in html
    assert 'id="id_reference_helptext"' in html
    assert dangling_describedby(html) == []


def test_it_links_errors_to_their_input_and_marks_it_invalid():
    form = _ChildForm(data={})
    assert not form.is_valid()
    html = _render(form)
    assert 'aria-describedby="id_reference_helptext id_reference_error"' in html
    assert 'aria-invalid="true"' in html
    assert dangling_describedby(html) == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_account_pages_name_only_existing_elements(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert dangling_describedby(response.content.decode()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"])
def test_signed_in_account_pages_name_only_existing_elements(login, parent, home_page, url):
    response = login(parent).get(url)
    assert response.status_code == 200, url
    assert dangling_describedby(response.content.decode()) == []


def test_allauths_single_field_element_names_its_hint_and_error():
    from django.template import Context, Origin, Template

    html = Template(
        "{% load allauth %}"
        '{% element field id="authenticator_secret" type="text" value="ABC" errors=errors %}'
        "{% slot label %}Sleutel{% endslot %}{% slot help_text %}Bewaar hem goed{% endslot %}"
        "{% endelement %}",
        origin=Origin(name="test_field.html", template_name="test_field.html"),
    ).render(Context({"errors": ["Onjuiste code"]}))
    assert 'aria-describedby="authenticator_secret_helptext authenticator_secret_error"' in html
    assert 'id="authenticator_secret_helptext"' in html and 'aria-invalid="true"' in html
    assert dangling_describedby(html) == []


def test_a_wide_table_wrapper_is_a_named_focusable_region():
    from django.template import Context, Template

    html = Template(
        "{% load thuisnet_tables %}{% scroll_table label %}"
        "<table><tr><td>1</td></tr></table>{% endscroll_table %}"
    ).render(Context({"label": "Vraag per gemeente"}))
    assert html == (
        '<div class="table-wrap" role="region" aria-label="Vraag per gemeente" tabindex="0">'
        "<table><tr><td>1</td></tr></table></div>"
    )
    include = render_to_string("includes/table_wrap.html", {"label": "Aanbod", "table": "<table></table>"})
    assert 'role="region" aria-label="Aanbod" tabindex="0"' in include
