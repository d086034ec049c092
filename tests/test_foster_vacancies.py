"""Client-targeted recruitment: anonymised vacancies, moderation, "I am interested"."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from foster.models import Prospect, VacancyPage


@pytest.mark.django_db
def test_a_vacancy_with_an_identifying_detail_is_refused(vacancy):
    vacancy.needs = "Sanne is geboren op 12-03-2015 en heeft BSN 111222333."
    with pytest.raises(ValidationError) as exc:
        vacancy.full_clean()
    assert "Haal herleidbare gegevens weg" in str(exc.value)


@pytest.mark.django_db
def test_i_am_interested_registers_a_prospect_with_the_vacancy_as_source(
    client, vacancy, provider, sent_mail, postcodes
):
    response = client.post(
        f"/avonden/vacatures/{vacancy.pk}/interesse/",
        {"name": "Tom Hendriks", "email": "tom@example.org", "postcode": "7201", "consent": "on"},
    )
    assert "Bedankt voor je interesse" in response.content.decode()
    p = Prospect.objects.get(email="tom@example.org")
    assert (p.source, p.vacancy_id, p.provider, p.family_form, p.stage) == (
        "vacancy",
        vacancy.pk,
        provider,
        "full_time",
        "registered",
    )
    assert p.municipality.name == "Zutphen"
    assert "tom@example.org" in [m.to[0] for m in sent_mail()]


@pytest.mark.django_db
def test_interest_with_a_bad_postcode_gets_a_message_and_saves_nothing(client, vacancy):
    response = client.post(
        f"/avonden/vacatures/{vacancy.pk}/interesse/",
        {"name": "Tom", "email": "tom@example.org", "postcode": "abc", "consent": "on"},
    )
    assert response.status_code == 400
    assert "Vul een postcode in van 4 cijfers" in response.content.decode()
    assert not Prospect.objects.exists()


@pytest.mark.django_db
def test_an_editor_submits_a_vacancy_for_moderation_before_it_is_published(
    editor, evening_index, region, municipalities, provider
):
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission, Workflow

    group = editor.groups.get()
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=evening_index,
            permission=Permission.objects.get(codename=codename, content_type__app_label="wagtailcore"),
        )
    page = VacancyPage(
        title="Broer en zus (6 en 8) zoeken een gezin",
        slug="broer-zus",
        region=region,
        age_band="4-7",
        siblings=2,
        interests="Zwemmen",
        needs="Samen blijven",
        municipality=municipalities["lochem"],
        family_form="full_time",
        provider=provider,
        live=False,
    )
    evening_index.add_child(instance=page)
    page.save_revision(user=editor)
    workflow = page.get_workflow()
    assert isinstance(workflow, Workflow)  # the default moderation workflow applies
    workflow.start(page, editor)
    page.refresh_from_db()
    assert page.live is False
    assert page.workflow_in_progress
    assert page.current_workflow_state.status == "in_progress"


@pytest.mark.django_db
def test_evenings_link_to_their_vacancies(client, make_evening, vacancy):
    page = make_evening()
    page.vacancies.set([vacancy])
    page.save_revision().publish()
    assert vacancy.title in client.get(page.url).content.decode()
    assert page.title in client.get(vacancy.url).content.decode()


def test_it_rejects_an_email_longer_than_the_column_at_the_field():
    from foster.forms import InterestForm

    form = InterestForm(data={"name": "Sam", "email": "a" * 245 + "@example.org", "postcode": "7411"})
    assert not form.is_valid()
    assert "email" in form.errors
