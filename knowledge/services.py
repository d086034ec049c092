"""The only way to change the knowledge app's state. Views parse and authorise, then call one
of these; each raises ``KnowledgeError`` with a Dutch message when it cannot be done."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.policies import can, require
from thuisnet.core import audit
from thuisnet.core.idempotency import once, principal_of
from thuisnet.core.mail import queue_templated
from thuisnet.core.pii import explain, find_identifiers

from .models import (
    AnonymousPostingRule,
    Answer,
    HelpfulVote,
    ModerationAction,
    Notification,
    NotificationSettings,
    PostStatus,
    Question,
    Report,
    Theme,
    ThemeFollow,
)

TITLE_MIN = 10
TITLE_MAX = 160
TEXT_MAX = 4000
ANSWER_MAX = 6000
UNSUBSCRIBE_SALT = "knowledge.unsubscribe"


class KnowledgeError(Exception):
    """Something the user can fix or should know; ``message`` is Dutch, ``code`` stable."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def rate_limit() -> tuple[int, timedelta]:
    n, minutes = getattr(settings, "KNOWLEDGE_RATE_LIMIT", (6, 10))
    return n, timedelta(minutes=minutes)


# ------------------------------------------------------------------------ small helpers


def anonymous_allowed(region, theme: str) -> bool:
    """Regions decide per theme; without a rule anonymous posting is not allowed."""
    if region is None:
        return False
    rule = AnonymousPostingRule.objects.filter(region=region, theme=theme).first()
    return bool(rule and rule.allowed)


def _normalise_tags(tags: str) -> str:
    seen: list[str] = []
    for raw in (tags or "").split(","):
        tag = " ".join(raw.strip().lower().split())[:30]
        if tag and tag not in seen:
            seen.append(tag)
    return ", ".join(seen[:8])


def _check_rate(user) -> None:
    """Refuse a post over the limit. Runs in the transaction that stores the post, after
    locking the author's row: simultaneous posts by one person queue here, and each counts
    the posts committed before it (12 at once store exactly the 6 allowed)."""
    from django.contrib.auth import get_user_model

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("_check_rate must run inside the transaction that stores the post")
    get_user_model().objects.select_for_update(no_key=True).filter(pk=user.pk).values_list(
        "pk", flat=True
    ).first()
    limit, window = rate_limit()
    since = timezone.now() - window
    recent = (
        Question.objects.filter(author=user, created_at__gte=since).count()
        + Answer.objects.filter(author=user, created_at__gte=since).count()
    )
    if recent >= limit:
        raise KnowledgeError(
            "rate_limited",
            _(
                "Je hebt in korte tijd veel berichten geplaatst. Wacht een paar minuten en "
                "probeer het dan opnieuw; je tekst staat nog in het formulier."
            ),
        )


def _pii_hold(*texts: str) -> str:
    findings = []
    for text in texts:
        findings.extend(find_identifiers(text))
    return explain(findings) if findings else ""


def _log(
    kind: str, moderator, *, question=None, answer=None, note: str = "", before: str = "", request=None
) -> ModerationAction:
    action = ModerationAction.objects.create(
        kind=kind, moderator=moderator, question=question, answer=answer, note=note, before=before
    )
    target = answer or question
    audit.record(
        moderator,
        f"knowledge.{kind}",
        "knowledge.answer" if answer else "knowledge.question",
        target.pk if target else "",
        request=request,
        note=note,
    )
    return action


def settings_for(user) -> NotificationSettings:
    obj, _created = NotificationSettings.objects.get_or_create(user=user)
    return obj


def unsubscribe_token(user, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user, kind: str) -> str:
    return settings.BASE_URL + reverse("knowledge:unsubscribe", args=[unsubscribe_token(user, kind)])


UNSUBSCRIBE_FIELDS = {
    "answer": "email_answers",
    "status": "email_status",
    "theme": "email_theme",
    "digest": "weekly_digest",
}


def unsubscribe(token: str) -> tuple[object, str]:
    """One-click unsubscribe from a signed link. Returns (user, kind)."""
    from django.contrib.auth import get_user_model

    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        field = UNSUBSCRIBE_FIELDS[data["k"]]
        user = get_user_model().objects.get(pk=data["u"])
    except (signing.BadSignature, KeyError, TypeError, get_user_model().DoesNotExist):
        raise KnowledgeError(
            "bad_token",
            _(
                "Deze afmeldlink klopt niet of is beschadigd. Log in en pas je meldingen aan "
                "bij 'Mijn meldingen'."
            ),
        )
    prefs = settings_for(user)
    setattr(prefs, field, False)
    prefs.save(update_fields=[field])
    return user, data["k"]


def _notify(
    user,
    kind: str,
    text: str,
    url: str,
    *,
    email_kind: str | None,
    template: str | None = None,
    context: dict | None = None,
    dedupe_key: str | None = None,
) -> None:
    Notification.objects.create(user=user, kind=kind, text=text[:300], url=url)
    if not email_kind or not user.is_active:
        return
    prefs = settings_for(user)
    if not getattr(prefs, UNSUBSCRIBE_FIELDS[email_kind]):
        return
    unsub = unsubscribe_url(user, email_kind)
    queue_templated(
        user.email,
        template or f"knowledge/email/{kind}",
        {
            "user": user,
            "text": text,
            "url": settings.BASE_URL + url,
            "unsubscribe_url": unsub,
            **(context or {}),
        },
        headers={"List-Unsubscribe": f"<{unsub}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        dedupe_key=dedupe_key,
    )


# ---------------------------------------------------------------------------- questions


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
) -> Question:
    """Post a question. With a ``form_token`` already used, returns the first question."""
    require(user, "knowledge.ask")
    errors = validate_question(title, text, theme)
    if errors:
        field, message = next(iter(errors.items()))
        raise KnowledgeError("invalid", message, field)

    def produce() -> tuple[int, dict]:
        with transaction.atomic():  # the rate check and the insert in one transaction
            question = _create_question(
                user, title=title.strip(), text=text.strip(), theme=theme, tags=tags, anonymous=anonymous
            )
        return 201, {"question": question.pk}

    _status, body = _once_or_error("knowledge.ask", form_token, principal_of(user), produce)
    return Question.objects.get(pk=body["question"])


def _create_question(user, *, title, text, theme, tags, anonymous) -> Question:
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
    )
    if reason:
        _log(ModerationAction.Kind.HOLD, None, question=question, note=reason)
    else:
        _announce_question(question)
    return question


def _announce_question(question: Question) -> None:
    """Tell the people who follow this question's theme (once, when it becomes visible)."""
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


# ------------------------------------------------------------------------------ answers


def answer_question(user, question: Question, *, text: str, form_token: str | None = None) -> Answer:
    require(user, "knowledge.answer", question)
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
            return _store_answer(user, question, text)

    _status, body = _once_or_error(f"knowledge.answer.{question.pk}", form_token, principal_of(user), produce)
    return Answer.objects.get(pk=body["answer"])


def _store_answer(user, question: Question, text: str) -> tuple[int, dict]:
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
    )
    if reason:
        _log(ModerationAction.Kind.HOLD, None, question=question, answer=answer, note=reason)
    else:
        _announce_answer(answer)
    return 201, {"answer": answer.pk}


def _announce_answer(answer: Answer) -> None:
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
        audit.record(user, "knowledge.unverify", "knowledge.answer", answer.pk)


# ---------------------------------------------------------------------------- moderation


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
) -> None:
    """hide / restore (also approves held posts) / edit / dismiss / lock / unlock."""
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


# ------------------------------------------------------------------------ notifications


def follow_themes(user, themes: list[str]) -> None:
    wanted = {t for t in themes if t in Theme.values}
    ThemeFollow.objects.filter(user=user).exclude(theme__in=wanted).delete()
    for theme in wanted:
        ThemeFollow.objects.get_or_create(user=user, theme=theme)


def save_preferences(
    user,
    *,
    themes: list[str],
    email_answers: bool,
    email_status: bool,
    email_theme: bool,
    weekly_digest: bool,
) -> NotificationSettings:
    if weekly_digest and not can(user, "knowledge.digest"):
        raise KnowledgeError(
            "digest_not_allowed",
            _("Het wekelijkse overzicht is voor deskundigen en ouders met minstens twee jaar ervaring."),
            "weekly_digest",
        )
    follow_themes(user, themes)
    prefs = settings_for(user)
    prefs.email_answers = email_answers
    prefs.email_status = email_status
    prefs.email_theme = email_theme
    prefs.weekly_digest = weekly_digest
    prefs.save()
    return prefs


def mark_notifications_read(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


# ------------------------------------------------------------------ answer to knowledge


def convert_to_article(user, answer: Answer):
    """Create a draft KnowledgeArticlePage from a verified answer and submit it to Wagtail's
    moderation workflow. Returns the page (not live)."""
    from .models import KnowledgeArticlePage, KnowledgeIndexPage

    require(user, "knowledge.convert_to_article", answer)
    index_page = KnowledgeIndexPage.objects.live().first() or KnowledgeIndexPage.objects.first()
    if index_page is None:
        raise KnowledgeError(
            "no_index",
            _(
                "Er is nog geen kennisbankpagina om het artikel "
                "onder te zetten. Maak die eerst aan in de CMS."
            ),
        )
    existing = KnowledgeArticlePage.objects.filter(source_question=answer.question).first()
    if existing is not None:
        return existing
    from django.utils.html import escape, linebreaks

    question = answer.question
    today = timezone.localdate()
    body = (
        f"<p>{escape(question.title)}</p>{linebreaks(escape(question.text))}"
        f"<h2>{escape(_('Antwoord'))}</h2>{linebreaks(escape(answer.text))}"
    )
    page = KnowledgeArticlePage(
        title=question.title[:255],
        theme=question.theme,
        body=body,
        summary=answer.text[:200],
        live=False,
        content_owner=user,
        last_reviewed=today,
        review_date=today + timedelta(days=365),
        source_question=question,
        owner=user,
    )
    index_page.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=True)
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, user)
    audit.record(user, "knowledge.convert", "knowledge.answer", answer.pk, page=page.pk, revision=revision.pk)
    return page
