"""Issue 14 item 3 for knowledge pages: a fixed number of queries whatever the number of
items (articles, forms, municipalities, steps, starters)."""

from __future__ import annotations

import pytest

from tests.query_budget import same_budget

pytestmark = pytest.mark.django_db


def test_the_knowledge_index_costs_the_same_with_20_articles(
    client, knowledge_index, make_article, municipalities, django_assert_max_num_queries
):
    def add(n, start=0):
        for i in range(start, start + n):
            page = make_article(title=f"Artikel {i:02d}", all_municipalities=i % 2 == 0)
            if i % 2:
                page.municipalities = [municipalities["zutphen"], municipalities["deventer"]]
                page.save_revision().publish()

    add(2)
    same_budget(
        client, knowledge_index.url + "?gemeente=zutphen", lambda: add(18, 2), django_assert_max_num_queries
    )


def test_an_article_costs_the_same_with_20_forms_and_related_pages(
    client, make_article, django_assert_max_num_queries
):
    from knowledge.demo import _document
    from knowledge.models import ArticleForm

    article = make_article(title="Hoofdartikel")

    def add(n, start=0):
        for i in range(start, start + n):
            doc = _document(f"Formulier {i}", f"f{i}.pdf", ["x"])
            doc.get_file_size()  # as after an upload in the CMS (stored once, not per request)
            ArticleForm.objects.create(page=article, document=doc)
            make_article(title=f"Verwant {i:02d}")

    add(2)
    same_budget(client, article.url, lambda: add(18, 2), django_assert_max_num_queries)


def test_the_start_path_costs_the_same_with_20_steps(
    login, family_home_parent, make_starter, start_path, make_article, django_assert_max_num_queries
):
    from knowledge.models import StartStep

    make_starter(family_home_parent, done=2)
    article = make_article(title="Starten")

    def add(n):
        last = start_path.steps.order_by("-position").first().position
        for i in range(1, n + 1):
            step = StartStep.objects.create(
                path=start_path, position=last + i, title=f"Stap {i}", explanation="Uitleg."
            )
            step.articles.add(article)

    same_budget(
        login(family_home_parent), "/kennis/startpad/", lambda: add(15), django_assert_max_num_queries
    )


def test_the_coach_view_costs_the_same_with_20_starters(
    login, staff, region, municipalities, provider, make_starter, django_assert_max_num_queries
):
    from tests.conftest import _household, _make_user

    def add(n, start=0):
        for i in range(start, start + n):
            user = _make_user(f"s{i}@example.org", region)
            user.household = _household(region, municipalities["zutphen"], "family_home", f"G{i}", provider)
            user.save()
            make_starter(user, done=i % 4, days_on_step=i)

    add(2)
    same_budget(login(staff), "/kennis/startpad/coach/", lambda: add(18, 2), django_assert_max_num_queries)


def test_the_region_view_costs_the_same_with_20_starters(
    login, coordinator, region, make_starter, django_assert_max_num_queries
):
    from tests.conftest import _make_user

    def add(n, start=0):
        for i in range(start, start + n):
            make_starter(_make_user(f"r{i}@example.org", region), done=i % 5, days_on_step=i)

    add(2)
    same_budget(
        login(coordinator), "/kennis/startpad/regio/", lambda: add(18, 2), django_assert_max_num_queries
    )
