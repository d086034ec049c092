"""Periodic jobs of the knowledge app.

The weekly digest job runs every hour; a row per person per ISO week
(``DigestDelivery``, unique) makes sure each person gets it exactly once a week, even if
the job runs many times, two workers overlap, or a run crashes half-way.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from thuisnet.accounts.policies import can
from thuisnet.core.jobs import periodic
from thuisnet.core.mail import queue_templated

from .models import DigestDelivery, NotificationSettings, PostStatus, Question, Theme
from .services import unsubscribe_url

DIGEST_WINDOW = timedelta(days=30)


def iso_week(now=None) -> str:
    year, week, _day = timezone.localdate(now).isocalendar()
    return f"{year}-W{week:02d}"


def unanswered_questions(region_id: int, now=None):
    now = now or timezone.now()
    return (
        Question.objects.filter(
            region_id=region_id, status=PostStatus.VISIBLE, locked=False, created_at__gte=now - DIGEST_WINDOW
        )
        .exclude(answers__status=PostStatus.VISIBLE)
        .order_by("created_at")
    )


@periodic("knowledge.weekly_digest", every=timedelta(hours=1))
def send_weekly_digest(now=None) -> int:
    """Queue this week's digest for everyone who opted in and has not had it yet."""
    now = now or timezone.now()
    week = iso_week(now)
    User = get_user_model()
    user_ids = NotificationSettings.objects.filter(weekly_digest=True).values_list("user_id", flat=True)
    done = set(DigestDelivery.objects.filter(week=week).values_list("user_id", flat=True))
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True).exclude(pk__in=done):
        if not can(user, "knowledge.digest") or not user.region_id:
            continue
        questions = list(unanswered_questions(user.region_id, now)[:20])
        if not questions:
            continue
        try:
            with transaction.atomic():
                DigestDelivery.objects.create(user=user, week=week, question_count=len(questions))
                queue_templated(
                    user.email,
                    "knowledge/email/digest",
                    {
                        "user": user,
                        "week": week,
                        "questions": [
                            {
                                "title": q.title,
                                "theme": Theme(q.theme).label,
                                "url": settings.BASE_URL + q.get_absolute_url(),
                            }
                            for q in questions
                        ],
                        "unsubscribe_url": unsubscribe_url(user, "digest"),
                    },
                    headers={
                        "List-Unsubscribe": f"<{unsubscribe_url(user, 'digest')}>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    },
                    dedupe_key=f"knowledge-digest-{user.pk}-{week}",
                )
        except IntegrityError:
            continue  # another run got there first
        sent += 1
    return sent


@periodic("knowledge.startpath_reminders", every=timedelta(hours=6))
def send_startpath_reminders(now=None) -> int:
    """Remind starters (and their coach) of a step that has stalled beyond the path's
    ``stall_days`` (``KNOWLEDGE_STARTPATH_STALL_DAYS`` when a path sets none)."""
    from .services.startpath import send_stall_reminders

    return send_stall_reminders(timezone.localdate(now) if now else None)
