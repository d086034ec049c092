"""Reports and moderation."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.policies import require
from thuisnet.core.pagecache import invalidate

from ..models import (
    Answer,
    ModerationAction,
    PostStatus,
    Question,
    Report,
)
from .answers import _announce_answer
from .common import KnowledgeError, _log, _pii_hold
from .questions import _announce_question


def report_post(
    user, *, reason: str, question: Question | None = None, answer: Answer | None = None
) -> Report:
    require(user, "knowledge.report", question or answer)
    reason = (reason or "").strip()
    if not reason:
        raise KnowledgeError("invalid", _("Schrijf kort waarom je dit meldt."), "reason")
    if len(reason) > 1000:
        raise KnowledgeError("invalid", _("De reden mag maximaal 1000 tekens zijn."), "reason")
    return Report.objects.create(reporter=user, reason=reason, question=question, answer=answer)


def moderate(
    user,
    *,
    action: str,
    question: Question | None = None,
    answer: Answer | None = None,
    note: str = "",
    new_text: str = "",
    request=None,
) -> str:
    """hide / restore (also approves held posts) / edit / dismiss / lock / unlock.

    Returns ``"released"`` when an edit of a held post removed what held it (it is visible
    now), ``"still_held:<reason>"`` when the edit left something that still holds it, else
    ``""``."""
    outcome = ""
    target = answer or question
    if target is None:
        raise KnowledgeError("invalid", _("Kies een bericht."))
    require(user, "knowledge.moderate", target)
    note = (note or "").strip()
    kinds = ModerationAction.Kind
    model = Answer if answer else Question
    if action in ("hide", "edit") and not note:
        raise KnowledgeError(
            "invalid",
            _("Schrijf een korte notitie: waarom grijp je in? Bij bewerken is die notitie zichtbaar."),
            "note",
        )
    with transaction.atomic():
        if action == "hide":
            model.objects.filter(pk=target.pk).update(status=PostStatus.HIDDEN)
            invalidate("answers")
            _log(
                kinds.HIDE,
                user,
                question=question or answer.question,
                answer=answer,
                note=note,
                request=request,
            )
        elif action == "restore":
            was_held = target.status == PostStatus.HELD
            model.objects.filter(pk=target.pk).update(status=PostStatus.VISIBLE)
            invalidate("answers")
            _log(
                kinds.APPROVE if was_held else kinds.RESTORE,
                user,
                question=question or answer.question,
                answer=answer,
                note=note,
                request=request,
            )
            if was_held:
                target.refresh_from_db()
                if answer:
                    _announce_answer(target)
                else:
                    _announce_question(target)
        elif action == "edit":
            new_text = (new_text or "").strip()
            if not new_text:
                raise KnowledgeError("invalid", _("De tekst mag niet leeg zijn."), "new_text")
            model.objects.filter(pk=target.pk).update(
                text=new_text, moderator_note=note[:300], edited_at=timezone.now()
            )
            _log(
                kinds.EDIT,
                user,
                question=question or answer.question,
                answer=answer,
                note=note,
                before=target.text,
                request=request,
            )
            if target.status == PostStatus.HELD:
                outcome = _release_if_clean(user, target, answer=answer, new_text=new_text, request=request)
            invalidate("answers")
        elif action == "dismiss":
            _log(
                kinds.DISMISS,
                user,
                question=question or answer.question,
                answer=answer,
                note=note,
                request=request,
            )
        elif action in ("lock", "unlock") and question and not answer:
            Question.objects.filter(pk=question.pk).update(locked=action == "lock")
            _log(
                kinds.LOCK if action == "lock" else kinds.UNLOCK,
                user,
                question=question,
                note=note,
                request=request,
            )
        else:
            raise KnowledgeError("invalid", _("Onbekende moderatiehandeling."))
        reports = Report.objects.filter(handled_at__isnull=True)
        reports = reports.filter(answer=answer) if answer else reports.filter(question=question)
        reports.update(handled_at=timezone.now(), handled_by=user)
    return outcome


def _release_if_clean(user, target, *, answer, new_text: str, request=None) -> str:
    """After a moderator's edit of a held post: check again what held it. Clean, the post is
    approved and announced; otherwise the reason is updated and returned."""
    texts = (new_text,) if answer is not None else (target.title, new_text, target.tags)
    reason = _pii_hold(*texts)
    model = type(target)
    if reason:
        model.objects.filter(pk=target.pk).update(held_reason=reason)
        return f"still_held:{reason}"
    model.objects.filter(pk=target.pk).update(status=PostStatus.VISIBLE, held_reason="")
    _log(
        ModerationAction.Kind.APPROVE,
        user,
        question=target.question if answer is not None else target,
        answer=answer,
        note=_("Vrijgegeven na bewerking."),
        request=request,
    )
    target.refresh_from_db()
    if answer is not None:
        _announce_answer(target)
    else:
        _announce_question(target)
    return "released"
