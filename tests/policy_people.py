"""People and organisations of a second region, for the scope-versus-check matrix tests.

Plain functions (not fixtures) so each matrix module builds the population it needs.
"""

from __future__ import annotations


def far_side(other_region) -> dict:
    """A provider in ``other_region`` with an organiser/expert/moderator staff member, and
    that region's coordinator."""
    from thuisnet.accounts.models import Membership, Organisation, User

    provider = Organisation.objects.create(
        region=other_region, kind="provider", name="Achterhoek Pleegzorg", slug="achterhoek-pleegzorg"
    )
    region_org = Organisation.objects.create(
        region=other_region, kind="region", name="Regio Achterhoek", slug="regio-achterhoek"
    )
    staff = User.objects.create_user(email="ver@achterhoek.example", password="x" * 12, region=other_region)
    Membership.objects.create(
        user=staff, organisation=provider, role="staff", is_expert=True, is_moderator=True, is_organiser=True
    )
    coordinator = User.objects.create_user(
        email="coord@achterhoek.example", password="x" * 12, region=other_region
    )
    Membership.objects.create(user=coordinator, organisation=region_org, role="coordinator")
    return {"far_provider": provider, "far_staff": staff, "far_coordinator": coordinator}


ROLE_FIXTURES = [
    "parent",
    "support_parent",
    "staff",
    "other_staff",
    "coordinator",
    "editor",
    "admin_user",
    "outsider",
]


def people(request, other_region) -> dict:
    """Every role of the main region, the far side's staff and coordinator, and nobody."""
    from django.contrib.auth.models import AnonymousUser

    out = {name: request.getfixturevalue(name) for name in ROLE_FIXTURES}
    far = far_side(other_region)
    out["far_staff"] = far["far_staff"]
    out["far_coordinator"] = far["far_coordinator"]
    out["anonymous"] = AnonymousUser()
    return out, far["far_provider"]


def assert_scopes_agree(users: dict, capability: str, querysets) -> None:
    """For every user and queryset: a row is in the scope exactly when ``can()`` allows it."""
    from thuisnet.accounts.policies import disagreements

    problems = {}
    for name, user in users.items():
        for qs in querysets:
            found = disagreements(user, capability, qs)
            if found:
                problems[(name, qs.model.__name__)] = [(str(row.pk), s, c) for row, s, c in found]
    assert problems == {}, f"{capability}: scope and check disagree: {problems}"
