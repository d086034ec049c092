"""Buddies for prospects (issue 11, item 4): an experienced parent who volunteers as ambassador
walks alongside someone who is thinking about fostering (after an information evening, before
intake). They write through Thuisnet messages; contact details appear only when both agreed
to share them. The buddy's provider sees that the prospect has a buddy (not the messages).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.models import User
from thuisnet.accounts.policies import require
from thuisnet.core.db import retry_on_conflict
from thuisnet.core.mail import queue_templated
from thuisnet.core.pii import explain, find_identifiers

from .models import Buddy, BuddyMessage, MentorProfile

OPEN = (Buddy.Status.ACTIVE,)
MAX_BUDDIES = 3  # prospects per ambassador at a time


class BuddyError(Exception):
    """Dutch message for the person acting."""


@retry_on_conflict
def ask_buddy(prospect: User) -> Buddy:
    """Give the prospect the ambassador of their region with the fewest prospects (then the
    longest-serving one); one open buddy per prospect."""
    require(prospect, "matching.ask_buddy", prospect.region)
    existing = Buddy.objects.filter(prospect=prospect, status__in=OPEN).first()
    if existing:
        return existing
    candidates = (
        MentorProfile.objects.filter(
            is_ambassador=True, is_available=True, user__household__region_id=prospect.region_id
        )
        .exclude(user=prospect)
        .annotate(n=Count("buddies", filter=Q(buddies__status__in=OPEN)))
        .filter(n__lt=MAX_BUDDIES)
        .order_by("n", "user__household__parent_since", "pk")
    )
    ambassador = None
    for candidate in candidates[:5]:
        # FOR UPDATE cannot go with an aggregate: lock the chosen profile, then recount.
        locked = MentorProfile.objects.select_for_update().select_related("user").get(pk=candidate.pk)
        if Buddy.objects.filter(ambassador=locked, status__in=OPEN).count() < MAX_BUDDIES:
            ambassador = locked
            break
    if ambassador is None:
        raise BuddyError(_("Er is op dit moment geen buddy vrij in je regio. Probeer het later nog eens."))
    buddy = Buddy.objects.create(prospect=prospect, ambassador=ambassador)
    queue_templated(ambassador.user.email, "matching/email/buddy_new", {"buddy": buddy})
    return buddy


def _side(user: User, buddy: Buddy) -> str:
    if buddy.prospect_id == user.pk:
        return "prospect"
    if buddy.ambassador.user_id == user.pk:
        return "ambassador"
    raise BuddyError(_("Dit is niet jouw buddygesprek."))


def send_message(user: User, buddy_id: int, body: str) -> BuddyMessage:
    buddy = Buddy.objects.select_related("ambassador__user", "prospect").get(pk=buddy_id)
    require(user, "matching.talk_buddy", buddy)
    body = (body or "").strip()[:2000]
    if not body:
        raise BuddyError(_("Schrijf een bericht."))
    findings = find_identifiers(body)
    if findings:
        raise BuddyError(explain(findings))
    if buddy.status not in OPEN:
        raise BuddyError(_("Dit buddycontact is afgesloten."))
    message = BuddyMessage.objects.create(buddy=buddy, sender=user, body=body)
    other = buddy.ambassador.user if _side(user, buddy) == "prospect" else buddy.prospect
    # The mail says there is a message, never what it says.
    queue_templated(other.email, "matching/email/buddy_message", {"buddy": buddy})
    return message


def share_details(user: User, buddy_id: int) -> Buddy:
    """One side agrees to share contact details; they show once both agreed."""
    buddy = Buddy.objects.select_related("ambassador__user", "prospect").get(pk=buddy_id)
    require(user, "matching.talk_buddy", buddy)
    field = f"{_side(user, buddy)}_shares_at"
    if getattr(buddy, field) is None:
        setattr(buddy, field, timezone.now())
        buddy.save(update_fields=[field])
    return buddy


def details_for(user: User, buddy: Buddy) -> dict | None:
    if not (buddy.prospect_shares_at and buddy.ambassador_shares_at):
        return None
    other = buddy.ambassador.user if _side(user, buddy) == "prospect" else buddy.prospect
    return {"name": other.full_name, "email": other.email}


def end_buddy(user: User, buddy_id: int) -> Buddy:
    buddy = Buddy.objects.select_related("ambassador__user", "prospect").get(pk=buddy_id)
    require(user, "matching.talk_buddy", buddy)
    buddy.status, buddy.ended_at = Buddy.Status.ENDED, timezone.now()
    buddy.save(update_fields=["status", "ended_at"])
    return buddy


def prospect_ids_with_buddy(region_id: int) -> set[int]:
    """Public query for the funnel report (foster): user ids of prospects who have or had a
    buddy in the region. The report must pass its counts through thuisnet.core.disclosure."""
    return set(
        Buddy.objects.filter(ambassador__user__household__region_id=region_id).values_list(
            "prospect_id", flat=True
        )
    )
