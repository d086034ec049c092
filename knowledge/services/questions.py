"""Posting questions."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from thuisnet.accounts.policies import can, require
from thuisnet.core.idempotency import once, principal_of
from thuisnet.core.pagecache import invalidate

from ..models import (
    ModerationAction,
    Notification,
    PostStatus,
    Question,
    Theme,
    ThemeFollow,
)
from .common import (
    TEXT_MAX,
    TITLE_MAX,
    TITLE_MIN,
    KnowledgeError,
    _check_rate,
    _log,
    _normalise_tags,
    _notify,
    _pii_hold,
    anonymous_allowed,
)


def validate_question(title: str, text: str, theme: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    title = (title or "").strip()
    text = (text or "").strip()
    if not title:
        errors["title"] = _("Vul je vraag in.")
    elif len(title) < TITLE_MIN:
        errors["title"] = _(
            "Maak je vraag iets langer (minstens %(n)d tekens), zodat anderen begrijpen waar het over gaat."
        ) % {"n": TITLE_MIN}
    elif len(title) > TITLE_MAX:
        errors["title"] = _(
            "Je vraag is %(len)d tekens; het maximum is %(n)d. Zet de details in de toelichting."
        ) % {"len": len(title), "n": TITLE_MAX}
    if not text:
        errors["text"] = _("Vertel iets meer over je situatie in de toelichting.")
    elif len(text) > TEXT_MAX:
        errors["text"] = _("De toelichting is %(len)d tekens; het maximum is %(n)d.") % {
            "len": len(text),
            "n": TEXT_MAX,
        }
    if theme not in Theme.values:
        errors["theme"] = _("Kies een thema.")
    return errors


def _once_or_error(scope: str, form_token: str | None, principal: str, produce):
    """``once`` for a form post; a token still in use or reused otherwise is a form error."""
    from thuisnet.core.idempotency import IdempotencyBusy, IdempotencyConflict, form_replay_message

    try:
        return once(scope, form_token, principal, produce)
    except (IdempotencyConflict, IdempotencyBusy) as exc:
        raise KnowledgeError("form_token", form_replay_message(exc)) from exc


def ask_question(
    user,
    *,
    title: str,
    text: str,
    theme: str,
    tags: str = "",
    anonymous: bool = False,
    form_token: str | None = None,
    start_step=None,
) -> Question:
    """Post a question. With a ``form_token`` already used, returns the first question.
    ``start_step``: the start-path step it is about (its theme is then "start")."""
    require(user, "knowledge.ask")
    errors = validate_question(title, text, theme)
    if errors:
        field, message = next(iter(errors.items()))
        raise KnowledgeError("invalid", message, field)

    def produce() -> tuple[int, dict]:
        with transaction.atomic():  # the rate check and the insert in one transaction
            question = _create_question(
                user,
                title=title.strip(),
                text=text.strip(),
                theme=theme,
                tags=tags,
                anonymous=anonymous,
                start_step=start_step,
            )
        return 201, {"question": question.pk}

    _status, body = _once_or_error("knowledge.ask", form_token, principal_of(user), produce)
    return Question.objects.get(pk=body["question"])


def _create_question(user, *, title, text, theme, tags, anonymous, start_step=None) -> Question:
    region = user.region
    if anonymous and not anonymous_allowed(region, theme):
        raise KnowledgeError(
            "anonymous_not_allowed",
            _(
                "In het thema '%(theme)s' kun je in deze regio niet anoniem plaatsen. Haal het "
                "vinkje weg of kies een ander thema."
            )
            % {"theme": Theme(theme).label},
            "anonymous",
        )
    _check_rate(user)
    reason = _pii_hold(title, text, tags)
    question = Question.objects.create(
        region=region,
        author=user,
        title=title,
        text=text,
        theme=theme,
        tags=_normalise_tags(tags),
        anonymous=anonymous,
        status=PostStatus.HELD if reason else PostStatus.VISIBLE,
        held_reason=reason,
        start_step=start_step if start_step is not None and start_step.path.region_id == region.pk else None,
    )
    if reason:
        _log(ModerationAction.Kind.HOLD, None, question=question, note=reason)
    else:
        _announce_question(question)
    return question


def _announce_question(question: Question) -> None:
    """Tell the people who follow this question's theme (once, when it becomes visible)."""
    invalidate("answers")
    followers = (
        ThemeFollow.objects.filter(theme=question.theme, user__region=question.region, user__is_active=True)
        .exclude(user=question.author)
        .select_related("user")
    )
    for follow in followers:
        # Following a theme is no permission: someone who may no longer read the question
        # (household no longer verified, membership ended) gets neither its title nor a mail.
        if not can(follow.user, "knowledge.view_question", question):
            continue
        _notify(
            follow.user,
            Notification.Kind.THEME,
            _("Nieuwe vraag in %(theme)s: %(title)s")
            % {"theme": Theme(question.theme).label, "title": question.title},
            question.get_absolute_url(),
            email_kind="theme",
            context={"question": question, "theme": Theme(question.theme).label},
            dedupe_key=f"knowledge-theme-{question.pk}-{follow.user_id}",
        )
