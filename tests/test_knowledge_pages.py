"""The CMS pages: index, articles with forms and review dates, the overdue list for
editors, and turning a verified answer into a draft article under moderation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_kennis_redirects_to_the_live_knowledge_base(client, knowledge_index):
    response = client.get("/kennis/")
    assert response.status_code == 302 and response.url == knowledge_index.url


def test_kennis_goes_to_the_questions_without_a_knowledge_base(client, db):
    assert client.get("/kennis/").url == reverse("knowledge:questions")


def test_the_index_lists_articles_by_theme(client, make_article):
    make_article(title="Omgangsregeling en bezoek", theme="birth_parents")
    html = client.get("/kennisbank/").content.decode()
    assert "Contact met ouders" in html and "Omgangsregeling en bezoek" in html
    assert "Nog geen artikelen in dit thema." in html


def test_an_article_shows_forms_scope_and_owner(client, make_article, municipalities):
    from wagtail.documents import get_document_model

    from knowledge.demo import make_pdf
    from knowledge.models import ArticleForm

    doc = get_document_model()(title="Declaratieformulier bijzondere kosten")
    doc.file.save("declaratie.pdf", ContentFile(make_pdf("Declaratie", ["Bedrag: ..."])), save=False)
    doc.save()
    page = make_article(
        owner_team="Team Pleegzorg", all_municipalities=False, for_support=False, for_family_home=False
    )
    page.municipalities.set([municipalities["deventer"]])
    page.forms.add(ArticleForm(document=doc))
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "Declaratieformulier bijzondere kosten" in html
    assert "Deventer" in html and "Pleeggezin" in html and "Team Pleegzorg" in html
    assert "Laatst gecontroleerd op" not in html  # not overdue
    download = client.get(doc.url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.4")


def test_an_overdue_article_tells_readers_when_it_was_checked(client, make_article):
    checked = timezone.localdate() - timedelta(days=400)
    page = make_article(review_in_days=-5, last_reviewed=checked)
    html = client.get(page.url).content.decode()
    assert "Laatst gecontroleerd op" in html
    from django.utils.formats import date_format

    assert date_format(checked, "j F Y") in html


def test_related_articles_and_questions_appear(login, parent, make_article, make_question):
    page = make_article(title="Pleegvergoeding uitgelegd")
    make_article(title="Kinderbijslag voor pleegkinderen")
    make_question(parent, title="Loopt de pleegvergoeding door in de vakantie?")
    html = login(parent).get(page.url).content.decode()
    assert "Kinderbijslag voor pleegkinderen" in html
    assert "Loopt de pleegvergoeding door in de vakantie?" in html


def test_visitors_see_no_questions_on_an_article(client, parent, make_article, make_question):
    page = make_article()
    make_question(parent, title="Een vraag van een ouder over geld")
    html = client.get(page.url).content.decode()
    assert "Een vraag van een ouder over geld" not in html
    assert "om de vragen van andere ouders te lezen" in html


def test_editors_get_the_overdue_report_and_dashboard_panel(login, editor, parent, make_article):
    make_article(title="Verouderd artikel over toeslagen", review_in_days=-10)
    make_article(title="Actueel artikel", review_in_days=100)
    client = login(editor)
    report = client.get(reverse("knowledge_overdue")).content.decode()
    assert "Verouderd artikel over toeslagen" in report and "Actueel artikel" not in report
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "moet gecontroleerd worden" in dashboard


def test_parents_cannot_see_the_overdue_report(login, parent):
    response = login(parent).get(reverse("knowledge_overdue"))
    assert response.status_code in (302, 403)


def test_an_editor_turns_a_verified_answer_into_a_draft_in_moderation(
    login, editor, parent, staff, make_question, make_answer, knowledge_index
):
    from wagtail.models import WorkflowState

    from knowledge.models import KnowledgeArticlePage

    question = make_question(parent, title="Mag ons pleegkind mee op wintersport?")
    answer = make_answer(
        question,
        staff,
        text="Ja, met toestemming van wie het gezag heeft.",
        verified_by=staff,
        verified_at=timezone.now(),
    )
    response = login(editor).post(reverse("knowledge:convert", args=[answer.pk]))
    page = KnowledgeArticlePage.objects.get()
    assert response.url == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert page.live is False
    assert page.source_question == question
    assert page.title == "Mag ons pleegkind mee op wintersport?"
    assert "met toestemming van wie het gezag heeft" in page.body
    assert WorkflowState.objects.filter(
        base_content_type__isnull=False, object_id=str(page.pk), status="in_progress"
    ).exists()


def test_an_unverified_answer_cannot_be_converted(
    login, editor, parent, staff, make_question, make_answer, knowledge_index
):
    question = make_question(parent)
    answer = make_answer(question, staff)
    assert login(editor).post(reverse("knowledge:convert", args=[answer.pk])).status_code == 403


def test_the_demo_loads_twice_without_changes(db):
    from knowledge import demo
    from knowledge.models import Answer, KnowledgeArticlePage, Question, Theme
    from thuisnet.core.demo import load_foundation

    region = load_foundation()
    demo.load(region)
    counts = (KnowledgeArticlePage.objects.count(), Question.objects.count(), Answer.objects.count())
    demo.load(region)
    assert counts == (KnowledgeArticlePage.objects.count(), Question.objects.count(), Answer.objects.count())
    assert set(KnowledgeArticlePage.objects.values_list("theme", flat=True)) == set(Theme.values)
    assert all(p.forms.exists() for p in KnowledgeArticlePage.objects.all())
    assert Question.objects.count() >= 12
    assert Question.objects.filter(anonymous=True).exists()
    assert Question.objects.exclude(answers__isnull=False).count() == 1


def test_editors_can_open_the_article_editor_and_the_snippet(login, editor, make_article, knowledge_index):
    page = make_article()
    client = login(editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    add = reverse("wagtailadmin_pages:add", args=["knowledge", "knowledgearticlepage", knowledge_index.pk])
    assert client.get(add).status_code == 200
