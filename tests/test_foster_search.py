"""The search provider finds published evenings and vacancies."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_it_finds_published_evenings_and_vacancies(make_evening, vacancy):
    from foster.search_provider import search

    make_evening(title="Pleegzorg in Deventer")
    draft = make_evening(title="Pleegzorg geheim concept")
    draft.unpublish()
    hits = search("pleegzorg")
    assert [h.title for h in hits if h.kind == "evening"] == ["Pleegzorg in Deventer"]
    assert hits[0].kind_label == "Informatieavond" and hits[0].url.endswith("/avond-1/")
    [v] = search("paarden")
    assert v.kind == "vacancy" and v.title == vacancy.title
    assert search("") == []
