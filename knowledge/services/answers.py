"""Answers, votes, accepting and verifying."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.policies import require
from thuisnet.core import audit
from thuisnet.core.idempotency import principal_of
from thuisnet.core.pagecache import invalidate

from ..models import (
    Answer,
    HelpfulVote,
    ModerationAction,
    Notification,
    PostStatus,
    Question,
)
from .common import ANSWER_MAX, KnowledgeError, _check_rate, _log, _notify, _pii_hold
from .questions import _once_or_error


def answer_question(
    user, question: Question, *, text: str, form_token: str | None = None, municipality=None
) -> Answer:
    """Post an answer. ``municipality`` (experts and moderators only, a municipality of the
    question's region) marks it as applying there; ``None`` means all municipalities."""
    require(user, "knowledge.answer", question)
    _check_municipality(user, question, municipality)
    text = (text or "").strip()
    if not text:
        raise KnowledgeError("invalid", _("Schrijf eerst je antwoord."), "text")
    if len(text) > ANSWER_MAX:
        raise KnowledgeError(
            "invalid",
            _("Je antwoord is %(len)d tekens; het maximum is %(n)d.") % {"len": len(text), "n": ANSWER_MAX},
            "text",
        )

    def produce() -> tuple[int, dict]:
        with transaction.atomic():  # the rate check and the insert in one transaction
            return _store_answer(user, question, text, municipality)

    _status, body = _once_or_error(f"knowledge.answer.{question.pk}", form_token, principal_of(user), produce)
    return Answer.objects.get(pk=body["answer"])


def _check_municipality(user, question: Question, municipality) -> None:
    if municipality is None:
        return
    from ..selectors import answer_municipality_choices

    choices = answer_municipality_choices(user, question)
    if choices is None:
        raise KnowledgeError(
            "forbidden",
            _("Alleen een deskundige of moderator kan een antwoord aan één gemeente koppelen."),
            "municipality",
        )
    if municipality.region_id != question.region_id:
        raise KnowledgeError("invalid", _("Kies een gemeente uit de regio van deze vraag."), "municipality")


def _store_answer(user, question: Question, text: str, municipality=None) -> tuple[int, dict]:
    locked = Question.objects.filter(pk=question.pk).values_list("locked", flat=True).first()
    if locked:
        raise KnowledgeError(
            "locked",
            _(
                "Deze vraag is gesloten; er kunnen geen antwoorden meer bij. Je tekst staat nog "
                "hieronder, zodat je hem kunt bewaren."
            ),
            "text",
        )
    _check_rate(user)
    reason = _pii_hold(text)
    answer = Answer.objects.create(
        question=question,
        author=user,
        text=text,
        status=PostStatus.HELD if reason else PostStatus.VISIBLE,
        held_reason=reason,
        municipality=municipality,
    )
    if reason:
        _log(ModerationAction.Kind.HOLD, None, question=question, answer=answer, note=reason)
    else:
        _announce_answer(answer)
    return 201, {"answer": answer.pk}


def _announce_answer(answer: Answer) -> None:
    invalidate("answers")  # a visible answer changed what question pages show
    question = answer.question
    if question.author_id == answer.author_id:
        return
    _notify(
        question.author,
        Notification.Kind.ANSWER,
        _("Nieuw antwoord op je vraag: %(title)s") % {"title": question.title},
        question.get_absolute_url() + f"#antwoord-{answer.pk}",
        email_kind="answer",
        context={"question": question, "answer": answer},
        dedupe_key=f"knowledge-answer-{answer.pk}",
    )


def vote_helpful(user, answer: Answer) -> bool:
    """Returns False when this person had already voted (nothing changes)."""
    require(user, "knowledge.vote", answer)
    try:
        with transaction.atomic():
            HelpfulVote.objects.create(answer=answer, user=user)
    except IntegrityError:
        return False
    Answer.objects.filter(pk=answer.pk).update(helpful_count=F("helpful_count") + 1)
    return True


def accept_answer(user, answer: Answer) -> None:
    question = answer.question
    require(user, "knowledge.accept", question)
    if answer.status != PostStatus.VISIBLE:
        raise KnowledgeError(
            "not_visible", _("Dit antwoord is (nog) niet zichtbaar en kan niet geaccepteerd worden.")
        )
    if question.accepted_answer_id == answer.pk:
        return
    Question.objects.filter(pk=question.pk).update(accepted_answer=answer)
    question.accepted_answer = answer
    invalidate("answers")
    if answer.author_id != user.pk:
        _notify(
            answer.author,
            Notification.Kind.ACCEPTED,
            _("Je antwoord is geaccepteerd: %(title)s") % {"title": question.title},
            question.get_absolute_url() + f"#antwoord-{answer.pk}",
            email_kind="status",
            context={"question": question, "answer": answer},
            dedupe_key=f"knowledge-accepted-{answer.pk}",
        )


def verify_answer(user, answer: Answer, *, verified: bool = True) -> None:
    require(user, "knowledge.verify", answer)
    if answer.status != PostStatus.VISIBLE:
        raise KnowledgeError("not_visible", _("Alleen zichtbare antwoorden kunnen geverifieerd worden."))
    if verified:
        if answer.verified_at:
            return
        Answer.objects.filter(pk=answer.pk).update(verified_by=user, verified_at=timezone.now())
        answer.refresh_from_db()
        invalidate("answers")
        audit.record(user, "knowledge.verify", "knowledge.answer", answer.pk)
        if answer.author_id != user.pk:
            _notify(
                answer.author,
                Notification.Kind.VERIFIED,
                _("Een deskundige heeft je antwoord geverifieerd: %(title)s")
                % {"title": answer.question.title},
                answer.question.get_absolute_url() + f"#antwoord-{answer.pk}",
                email_kind="status",
                context={"question": answer.question, "answer": answer},
                dedupe_key=f"knowledge-verified-{answer.pk}",
            )
    else:
        Answer.objects.filter(pk=answer.pk).update(verified_by=None, verified_at=None)
        invalidate("answers")
        audit.record(user, "knowledge.unverify", "knowledge.answer", answer.pk)
