"""Views parse, authorise, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from thuisnet.accounts.policies import can, require, scope
from thuisnet.core.idempotency import new_form_token

from . import search_provider, selectors, services
from .forms import AnswerForm, ModerationEditForm, PreferencesForm, QuestionForm, ReportForm
from .models import (
    AnonymousPostingRule,
    Answer,
    KnowledgeIndexPage,
    Notification,
    PostStatus,
    Question,
    Theme,
    ThemeFollow,
)


def index(request):
    """/kennis/: the live knowledge base page, or the questions when there is none."""
    page = KnowledgeIndexPage.objects.live().public().first()
    if page is not None and page.url:
        return redirect(page.url)
    return redirect("knowledge:questions")


def _anonymous_themes(user) -> list[str]:
    return list(
        AnonymousPostingRule.objects.filter(region_id=user.region_id, allowed=True).values_list(
            "theme", flat=True
        )
    )


@login_required
def question_list(request):
    require(request.user, "knowledge.view_questions")
    query = " ".join(request.GET.get("q", "").split())[: search_provider.MAX_QUERY]
    theme = request.GET.get("thema", "")
    tag = request.GET.get("trefwoord", "").strip().lower()
    unanswered = request.GET.get("onbeantwoord") == "1"
    context = {"query": query, "theme": theme, "tag": tag, "unanswered": unanswered, "themes": Theme.choices}
    if query:
        hits = search_provider.search(query, user=request.user, limit=30)
        context["articles"] = [h for h in hits if h.kind == "article"]
        context["question_hits"] = [h for h in hits if h.kind == "question"]
    else:
        qs = (
            selectors.visible_questions(request.user)
            .filter(status=PostStatus.VISIBLE)
            .select_related("author", "author__household")
        )
        if theme in Theme.values:
            qs = qs.filter(theme=theme)
        if tag:
            qs = qs.filter(tags__icontains=tag)
        if unanswered:
            qs = qs.exclude(answers__status=PostStatus.VISIBLE)
        page = Paginator(qs, 20).get_page(request.GET.get("pagina"))
        context["page_obj"] = page
    context["can_ask"] = can(request.user, "knowledge.ask")
    context["ask_reason"] = "" if context["can_ask"] else selectors.ask_refusal(request.user)
    context["can_moderate"] = can(request.user, "knowledge.moderate")
    context["unread"] = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(request, "knowledge/question_list.html", context)


def _start_step(request, raw) -> object | None:
    """The start-path step a question is about (``?stap=``): one of the region's paths."""
    from .models import StartStep

    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    return (
        StartStep.objects.select_related("path").filter(pk=pk, path__region_id=request.user.region_id).first()
    )


@login_required
def ask(request):
    if not can(request.user, "knowledge.ask"):
        # Say why, and where to go instead, rather than a bare "Geen toegang".
        return render(
            request,
            "knowledge/ask_refused.html",
            {
                "reason": selectors.ask_refusal(request.user),
                "can_view_questions": can(request.user, "knowledge.view_questions"),
            },
            status=403,
        )
    anon_themes = _anonymous_themes(request.user)
    suggestions = None
    municipal = []
    step = _start_step(request, request.POST.get("start_step") or request.GET.get("stap"))
    if request.method == "POST":
        form = QuestionForm(request.POST, anonymous_themes=anon_themes)
        form.is_valid()
        data = form.cleaned_data
        if "check" in request.POST:
            suggestions = search_provider.suggest(data.get("title", ""), user=request.user)
            municipal = selectors.municipal_suggestions(
                f"{data.get('title', '')} {data.get('text', '')}", request.user
            )
        else:
            try:
                question = services.ask_question(
                    request.user,
                    title=data.get("title", ""),
                    text=data.get("text", ""),
                    theme=data.get("theme", ""),
                    tags=data.get("tags", ""),
                    anonymous=bool(data.get("anonymous")),
                    form_token=data.get("form_token"),
                    start_step=step,
                )
            except services.KnowledgeError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, exc.message)
            else:
                if question.status == PostStatus.HELD:
                    messages.warning(
                        request,
                        _(
                            "Je vraag wacht op een moderator. %(reason)s "
                            "Een moderator kijkt er zo snel mogelijk naar."
                        )
                        % {"reason": question.held_reason},
                    )
                else:
                    messages.success(
                        request, _("Je vraag staat erop. Je krijgt bericht als iemand antwoordt.")
                    )
                return redirect(question)
    else:
        form = QuestionForm(
            initial={
                "title": request.GET.get("vraag", "")[:160],
                "theme": "start" if step else request.GET.get("thema", ""),
                "form_token": new_form_token(),
                "start_step": step.pk if step else None,
            },
            anonymous_themes=anon_themes,
        )
    return render(
        request,
        "knowledge/ask.html",
        {
            "form": form,
            "suggestions": suggestions,
            "municipal": municipal,
            "step": step,
            "suggest_url": reverse("knowledge:suggest"),
        },
    )


@login_required
@require_GET
def suggest(request):
    """Small JSON endpoint for the 'similar questions' list while typing."""
    if not can(request.user, "knowledge.view_questions"):
        return JsonResponse(
            {"code": "permission_denied", "message": _("Je hebt geen toestemming voor deze handeling.")},
            status=403,
        )
    query = request.GET.get("q", "")
    if len(query) > search_provider.MAX_QUERY:
        return JsonResponse(
            {"code": "too_long", "message": _("De zoekvraag is te lang (maximaal 200 tekens).")}, status=422
        )
    hits = search_provider.suggest(query, user=request.user, limit=6)
    return JsonResponse(
        {
            "results": [
                {"title": h.title, "url": h.url, "kind": h.kind, "kind_label": str(h.kind_label)}
                for h in hits
            ]
        }
    )


def _question_or_404(request, pk: int) -> Question:
    """The question, when ``knowledge.view_question`` allows it (region rule included); a
    question one may not see does not exist."""
    question = get_object_or_404(
        Question.objects.select_related("author", "author__household", "region"), pk=pk
    )
    if not can(request.user, "knowledge.view_question", question):
        raise Http404
    return question


def _detail(request, question: Question, answer_form=None, status=200):
    user = request.user
    answers = selectors.answers_for(question, user)
    # Per-answer permissions come from the scopes, one query per capability, so the page
    # costs the same number of queries with 2 answers or 20.
    allowed = selectors.answer_permissions(user, answers)
    voted = set(Answer.objects.filter(votes__user=user, question=question).values_list("pk", flat=True))
    articles = list(question.articles.all())
    labels = selectors.author_labels([question.author, *(a.author for a in answers)])
    for a in answers:
        a.can_vote = a.pk in allowed["knowledge.vote"] and a.pk not in voted
        a.voted = a.pk in voted
        a.can_verify = a.pk in allowed["knowledge.verify"] and a.status == PostStatus.VISIBLE
        a.can_convert = a.pk in allowed["knowledge.convert_to_article"] and not articles
        a.is_accepted_answer = a.pk == question.accepted_answer_id
        a.author_label = labels[a.author_id]
    context = {
        "question": question,
        "answers": answers,
        "show_author": can(user, "knowledge.view_author", question),
        "can_answer": can(user, "knowledge.answer", question) and not question.locked,
        "can_accept": can(user, "knowledge.accept", question),
        "can_moderate": can(user, "knowledge.moderate", question),
        "answer_form": answer_form
        or AnswerForm(
            initial={"form_token": new_form_token()},
            municipalities=selectors.answer_municipality_choices(user, question),
        ),
        "articles": [a for a in articles if a.live],
        "theme_label": Theme(question.theme).label,
        "author_label": labels[question.author_id],
    }
    return render(request, "knowledge/question_detail.html", context, status=status)


@login_required
def question_detail(request, pk: int):
    question = _question_or_404(request, pk)
    return _detail(request, question)


@login_required
@require_POST
def answer(request, pk: int):
    question = _question_or_404(request, pk)
    form = AnswerForm(
        request.POST, municipalities=selectors.answer_municipality_choices(request.user, question)
    )
    if not form.is_valid() and "municipality" in form.errors:
        return _detail(request, question, answer_form=form, status=422)  # the text is kept
    try:
        new = services.answer_question(
            request.user,
            question,
            text=form.cleaned_data.get("text", ""),
            form_token=form.cleaned_data.get("form_token"),
            municipality=form.cleaned_data.get("municipality"),
        )
    except services.KnowledgeError as exc:
        field = exc.field if exc.field in ("text", "municipality") and exc.field in form.fields else None
        form.add_error(field, exc.message)
        return _detail(request, question, answer_form=form, status=409 if exc.code == "locked" else 422)
    if new.status == PostStatus.HELD:
        messages.warning(
            request, _("Je antwoord wacht op een moderator. %(reason)s") % {"reason": new.held_reason}
        )
    else:
        messages.success(request, _("Bedankt, je antwoord staat erbij."))
    return redirect(f"{question.get_absolute_url()}#antwoord-{new.pk}")


def _answer_or_404(request, pk: int) -> Answer:
    answer_obj = get_object_or_404(Answer.objects.select_related("question"), pk=pk)
    _question_or_404(request, answer_obj.question_id)
    if not can(request.user, "knowledge.view_answer", answer_obj):
        raise Http404
    return answer_obj


@login_required
@require_POST
def vote(request, pk: int):
    a = _answer_or_404(request, pk)
    if services.vote_helpful(request.user, a):
        messages.success(request, _("Dank je, je stem is geteld."))
    else:
        messages.info(request, _("Je had dit antwoord al als nuttig gemarkeerd."))
    return redirect(f"{a.question.get_absolute_url()}#antwoord-{a.pk}")


@login_required
@require_POST
def accept(request, pk: int):
    a = _answer_or_404(request, pk)
    try:
        services.accept_answer(request.user, a)
    except services.KnowledgeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Je hebt dit antwoord geaccepteerd."))
    return redirect(f"{a.question.get_absolute_url()}#antwoord-{a.pk}")


@login_required
@require_POST
def verify(request, pk: int):
    a = _answer_or_404(request, pk)
    try:
        services.verify_answer(request.user, a, verified=request.POST.get("verified") != "0")
    except services.KnowledgeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Verificatie opgeslagen."))
    return redirect(f"{a.question.get_absolute_url()}#antwoord-{a.pk}")


@login_required
def report(request, kind: str, pk: int):
    if kind == "vraag":
        question, answer_obj = _question_or_404(request, pk), None
    elif kind == "antwoord":
        answer_obj = _answer_or_404(request, pk)
        question = None
    else:
        raise Http404
    require(request.user, "knowledge.report", question or answer_obj)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_post(
                request.user, reason=form.cleaned_data["reason"], question=question, answer=answer_obj
            )
        except services.KnowledgeError as exc:
            form.add_error("reason", exc.message)
        else:
            messages.success(request, _("Dank je. Een moderator bekijkt je melding."))
            target = question or answer_obj.question
            return redirect(target)
    return render(
        request,
        "knowledge/report.html",
        {"form": form, "question": question or answer_obj.question, "answer": answer_obj},
    )


@login_required
@require_POST
def convert(request, pk: int):
    a = _answer_or_404(request, pk)
    try:
        page = services.convert_to_article(request.user, a)
    except services.KnowledgeError as exc:
        messages.error(request, exc.message)
        return redirect(a.question)
    messages.success(request, _("Concept-artikel gemaakt en ter beoordeling aangeboden."))
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


# ------------------------------------------------------------------------ moderation


@login_required
def moderation_queue(request):
    require(request.user, "knowledge.moderate")
    from .models import ModerationAction

    queue = selectors.moderation_queue(request.user)
    log = ModerationAction.objects.filter(
        question__in=scope(request.user, "knowledge.moderate", Question.objects.all()).values("pk")
    ).select_related("moderator", "question")[:30]
    return render(request, "knowledge/moderation_queue.html", {**queue, "log": log})


@login_required
def moderate(request, kind: str, pk: int):
    if kind == "vraag":
        question = _question_or_404(request, pk)
        answer_obj = None
        target = question
    elif kind == "antwoord":
        answer_obj = _answer_or_404(request, pk)
        question = None
        target = answer_obj
    else:
        raise Http404
    require(request.user, "knowledge.moderate", target)
    form = ModerationEditForm(request.POST or None, initial={"new_text": target.text})
    if request.method == "POST":
        form.is_valid()
        action = request.POST.get("action", "")
        try:
            outcome = services.moderate(
                request.user,
                action=action,
                question=question,
                answer=answer_obj,
                note=form.cleaned_data.get("note", ""),
                new_text=form.cleaned_data.get("new_text", ""),
                request=request,
            )
        except services.KnowledgeError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if outcome == "released":
                messages.success(request, _("Bewerking opgeslagen. Het bericht is nu zichtbaar."))
            elif outcome and outcome.startswith("still_held:"):
                messages.warning(
                    request,
                    _("Bewerking opgeslagen, maar het bericht wacht nog: %(reason)s")
                    % {"reason": outcome.split(":", 1)[1]},
                )
            else:
                messages.success(request, _("Moderatie opgeslagen."))
            return redirect("knowledge:moderation")
    return render(
        request,
        "knowledge/moderate.html",
        {
            "form": form,
            "target": target,
            "answer": answer_obj,
            "question": question or answer_obj.question,
            "show_author": True,
            "log": target.moderation_log.select_related("moderator")[:20],
        },
    )


# --------------------------------------------------------------------- notifications


@login_required
def notifications(request):
    require(request.user, "knowledge.view_questions")
    items = list(Notification.objects.filter(user=request.user)[:50])
    if request.method == "POST":
        services.mark_notifications_read(request.user)
        return redirect("knowledge:notifications")
    prefs = services.settings_for(request.user)
    digest_allowed = can(request.user, "knowledge.digest")
    initial = {
        "themes": list(ThemeFollow.objects.filter(user=request.user).values_list("theme", flat=True)),
        "email_answers": prefs.email_answers,
        "email_status": prefs.email_status,
        "email_theme": prefs.email_theme,
        "weekly_digest": prefs.weekly_digest,
    }
    form = PreferencesForm(initial=initial, digest_allowed=digest_allowed)
    return render(
        request,
        "knowledge/notifications.html",
        {
            "items": items,
            "form": form,
            "unread": sum(1 for n in items if n.read_at is None),
            "can_moderate": can(request.user, "knowledge.moderate"),
        },
    )


@login_required
@require_POST
def preferences(request):
    require(request.user, "knowledge.view_questions")
    digest_allowed = can(request.user, "knowledge.digest")
    form = PreferencesForm(request.POST, digest_allowed=digest_allowed)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.save_preferences(
                request.user,
                themes=d["themes"],
                email_answers=d["email_answers"],
                email_status=d["email_status"],
                email_theme=d["email_theme"],
                weekly_digest=d.get("weekly_digest", False),
            )
        except services.KnowledgeError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Je meldingen zijn opgeslagen."))
    return redirect("knowledge:notifications")


def unsubscribe(request, token: str):
    """One click from an email: no login needed, the signed token says who and what."""
    try:
        _user, kind = services.unsubscribe(token)
    except services.KnowledgeError as exc:
        return render(request, "knowledge/unsubscribe.html", {"error": exc.message}, status=400)
    labels = {
        "answer": _("antwoorden op je vragen"),
        "status": _("geaccepteerde en geverifieerde antwoorden"),
        "theme": _("nieuwe vragen in thema's die je volgt"),
        "digest": _("het wekelijkse overzicht"),
    }
    return render(request, "knowledge/unsubscribe.html", {"what": labels[kind]})
