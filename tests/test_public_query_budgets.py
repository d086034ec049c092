"""Public pages cost a fixed, small number of queries, however many items they show (issue 14,
item 3). Counted uncached (the page cache is off in tests), as an anonymous visitor."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.query_budget import count_queries

pytestmark = pytest.mark.django_db

# The home page: site, page, ancestors' aliases, view restrictions, footer settings (5 with
# no cards) and the cards' pages in bulk; the budget leaves no room for a query per card.
HOME_BUDGET = 10


def _cards(pages) -> list:
    return [
        (
            "card",
            {
                "title": p.title,
                "text": "Lees meer.",
                "link_page": p,
                "link_url": "",
                "link_text": p.title,
            },
        )
        for p in pages
    ]


def _publish_cards(home_page, pages) -> None:
    home_page.cards = _cards(pages)
    home_page.save_revision().publish()


def test_the_home_page_needs_few_queries_however_many_cards(home_page, make_evening):
    evenings = [make_evening(days=10 + i) for i in range(6)]
    _publish_cards(home_page, evenings[:1])
    one = count_queries(Client(), "/")
    _publish_cards(home_page, evenings)
    many = count_queries(Client(), "/")
    assert (one, many) == (one, one), f"home page: {one} queries with 1 card, {many} with 6"
    assert one <= HOME_BUDGET, f"home page needs {one} queries (budget {HOME_BUDGET})"


def test_the_home_page_resolves_card_links_with_the_request(home_page, make_evening):
    evening = make_evening()
    _publish_cards(home_page, [evening])
    body = Client().get("/").content.decode()
    assert f'href="{evening.url}"' in body


def _grow_and_count(url: str, grow) -> tuple[int, int]:
    one = count_queries(Client(), url)
    grow()
    many = count_queries(Client(), url)
    print(f"{url}: {one} queries with one item, {many} with many")  # shown with -s
    return one, many


def test_the_evening_overview_costs_the_same_with_many_evenings(make_evening, evening_index):
    make_evening(days=10)
    one, many = _grow_and_count(evening_index.url, lambda: [make_evening(days=11 + i) for i in range(8)])
    assert many == one, f"evening overview: {one} queries with 1 evening, {many} with 9"


def test_an_evening_page_costs_the_same_with_many_vacancies(make_evening, vacancy):
    evening = make_evening(vacancies=[vacancy])

    def grow():
        from foster.models import VacancyPage

        more = [
            VacancyPage.objects.get(pk=vacancy.pk).copy(
                update_attrs={"slug": f"vacature-{i}", "title": f"Vacature {i}"}, keep_live=True
            )
            for i in range(5)
        ]
        evening.vacancies.set([vacancy, *more])
        evening.save_revision().publish()

    one, many = _grow_and_count(evening.url, grow)
    assert many == one, f"evening page: {one} queries with 1 vacancy, {many} with 6"


def test_a_vacancy_page_costs_the_same_with_many_evenings(vacancy, make_evening):
    make_evening(days=10, vacancies=[vacancy])
    one, many = _grow_and_count(
        vacancy.url, lambda: [make_evening(days=12 + i, vacancies=[vacancy]) for i in range(6)]
    )
    assert many == one, f"vacancy page: {one} queries with 1 evening, {many} with 7"


def test_the_knowledge_index_costs_the_same_with_many_articles(knowledge_index, make_article):
    make_article(title="Artikel 0")
    one, many = _grow_and_count(
        knowledge_index.url, lambda: [make_article(title=f"Artikel {i}") for i in range(1, 9)]
    )
    assert many == one, f"knowledge index: {one} queries with 1 article, {many} with 9"


def test_a_knowledge_article_needs_few_queries(make_article):
    article = make_article()
    queries = count_queries(Client(), article.url)
    assert queries <= 12, f"knowledge article: {queries} queries"


def test_the_region_feed_costs_the_same_with_many_evenings(make_evening, region):
    make_evening(days=10)
    url = f"/avonden/agenda/{region.slug}.ics"
    one, many = _grow_and_count(url, lambda: [make_evening(days=11 + i) for i in range(8)])
    assert many == one, f"region feed: {one} queries with 1 evening, {many} with 9"
