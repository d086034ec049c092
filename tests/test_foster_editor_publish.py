"""Issue 15, item 5: where the region allows it, an editor of an organising provider publishes
that provider's evenings without the moderator's check."""

import pytest

from thuisnet.accounts.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider_editor(editor, provider):
    Membership.objects.create(user=editor, organisation=provider, role="staff")
    return editor


def _allow(region, on=True):
    region.editors_publish_own_evenings = on
    region.save()


def test_without_the_regions_consent_the_editor_submits_for_moderation(provider_editor, make_evening, region):
    page = make_evening()
    assert not page.permissions_for_user(provider_editor).can_publish()


def test_with_consent_the_editor_of_an_organising_provider_publishes(provider_editor, make_evening, region):
    _allow(region)
    page = make_evening()
    perms = page.permissions_for_user(provider_editor)
    assert perms.can_publish() and perms.can_unpublish()


def test_an_editor_of_another_provider_does_not(editor, other_provider, make_evening, region):
    Membership.objects.create(user=editor, organisation=other_provider, role="staff")
    _allow(region)
    page = make_evening()
    assert not page.permissions_for_user(editor).can_publish()


def test_the_edit_screen_offers_publish_to_that_editor_only_with_consent(
    provider_editor, make_evening, region, login
):
    page = make_evening()
    c = login(provider_editor)
    url = f"/admin/pages/{page.pk}/edit/"
    assert 'name="action-publish"' not in c.get(url).content.decode()
    _allow(region)
    assert 'name="action-publish"' in c.get(url).content.decode()


def test_the_scope_agrees_with_the_check(provider_editor, editor, staff, coordinator, make_evening, region):
    from foster.models import EveningPage
    from thuisnet.accounts.policies import disagreements

    _allow(region)
    make_evening()
    for user in (provider_editor, staff, coordinator):
        assert disagreements(user, "foster.publish_evening", EveningPage.objects.all()) == []
