"""Search-side providers for content whose app offers no provider of its own.

Mentors (for coordinators): read-only over ``matching``'s models; a mentor is found only by a
coordinator of the mentor's region (the same reach as ``matching.view_overview``).
CMS pages: live, public Wagtail pages that are not of a kind another provider indexes.
"""

from __future__ import annotations

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from thuisnet.accounts.roles import roles_of

from .types import Document

KINDS = {"mentor": _("Mentor"), "page": _("Pagina")}
# Page types another provider indexes (or that are only containers).
_SKIP_PAGE_MODELS = {"eveningpage", "vacancypage", "knowledgearticlepage", "page"}


def _mentor_models():
    from matching.models import MentorProfile, Theme

    return MentorProfile, Theme


def _watched():
    MentorProfile, _t = _mentor_models()
    return [(MentorProfile, "mentor", lambda o: o.pk), (Page, "page", lambda o: o.pk)]


def documents(kind: str, ids=None):
    if kind == "mentor":
        MentorProfile, Theme = _mentor_models()
        labels = dict(Theme.choices)
        profiles = MentorProfile.objects.select_related("user__household__municipality").filter(
            is_available=True
        )
        if ids is not None:
            profiles = profiles.filter(pk__in=ids)
        for p in profiles:
            household = getattr(p.user, "household", None)
            if household is None:
                continue
            name = p.user.get_full_name() if hasattr(p.user, "get_full_name") else str(p.user)
            yield Document(
                kind="mentor",
                object_id=p.pk,
                title=str(_("Mentor: %(name)s") % {"name": name or str(p.user)}),
                body=" ".join([p.about, *(str(labels.get(t, t)) for t in p.themes)]),
                url="/mentoren/",
                municipality=household.municipality.name if household.municipality_id else "",
                region_id=household.region_id,
                themes=list(p.themes),
                family_forms=[household.family_form] if getattr(household, "family_form", "") else [],
                changed_at=p.created_at,
            )
    elif kind == "page":
        pages = Page.objects.live().public().exclude(depth__lte=1).specific()
        if ids is not None:
            pages = pages.filter(pk__in=ids)
        for page in pages:
            if page.specific_class is None or page.specific_class._meta.model_name in _SKIP_PAGE_MODELS:
                continue
            text = " ".join(
                strip_tags(str(getattr(page, f, "") or "")) for f in ("intro", "body", "search_description")
            )
            yield Document(
                kind="page",
                object_id=page.pk,
                title=page.title,
                body=text,
                url=page.url or "",
                changed_at=page.last_published_at,
            )


def visible(user, kind: str, ids: set[int]) -> set[int]:
    if kind == "page":
        return set(Page.objects.live().public().filter(pk__in=ids).values_list("pk", flat=True))
    MentorProfile, _t = _mentor_models()
    regions = roles_of(user).coordinator_region_ids if user is not None else set()
    if not regions:
        return set()
    qs = MentorProfile.objects.filter(pk__in=ids, is_available=True, user__household__region_id__in=regions)
    return set(qs.values_list("pk", flat=True))
