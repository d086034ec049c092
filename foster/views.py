"""Views parse, authorise, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thuisnet.accounts.policies import require
from thuisnet.core.audit import record_read
from thuisnet.core.idempotency import (
    IdempotencyBusy,
    IdempotencyConflict,
    form_fingerprint,
    form_replay_message,
    once,
)
from thuisnet.core.ratelimit import guard_form
from thuisnet.core.ratelimit import hit as ratelimit_hit

from . import selectors, services
from .forms import (
    AttendeesForm,
    CancelEveningForm,
    InterestForm,
    InvitationAnswerForm,
    InviteForm,
    MessageForm,
    ParentRegistrationForm,
    RegistrationForm,
    ReportForm,
    StepForm,
    WalkInForm,
)
from .models import EveningIndexPage, EveningPage, EveningSession, Prospect, Registration, VacancyPage
from .services import RegistrationError

# --- public ----------------------------------------------------------------------------


def index(request):
    """/avonden/ is the live evening overview in the CMS."""
    page = EveningIndexPage.objects.live().order_by("path").first()
    if page is None:
        raise Http404(_("Er is nog geen overzicht van informatieavonden."))
    return redirect(page.url)


def register_on_page(request, page):
    """POST on an EveningPage: register for the chosen session."""
    if page.by_invitation:  # no public form: households answer through their invitation
        messages.error(request, services.registration._invitation_only())
        return redirect(page.url)
    if page.for_parents:
        return _register_parent_on_page(request, page)
    form = RegistrationForm(request.POST, page=page)
    guard_form(request, form, "foster.register", email=request.POST.get("email", ""))
    return _answer_registration(
        request, page, form, "foster.register", "", lambda session: _register(session, form.data_object())
    )


def _answer_registration(request, page, form, scope: str, principal: str, produce, *, announce=False):
    """The chosen session, the form and the one-time token of either registration form:
    register once (``produce(session)``) and go to its next page, or show the evening page
    again with the message at the form (400), keeping what was typed."""
    session = page.sessions.filter(pk=request.POST.get("session") or 0).first()
    if session is None:
        form.add_error(None, _("Kies een datum."))
    if session is not None and form.is_valid():
        key = form.cleaned_data.get("form_token") or None
        try:
            status, body = once(
                scope, key, principal, lambda: produce(session), fingerprint=form_fingerprint(request)
            )
        except RegistrationError as exc:
            form.add_error(None, exc.message)
        except (IdempotencyConflict, IdempotencyBusy) as exc:
            form.add_error(None, form_replay_message(exc))
            form.renew_token()
        else:
            if announce:
                messages.success(request, body["message"])
            return redirect(body["next"])
    context = page.get_context(request)
    context.update(selectors.evening_context(page, request, form=form))
    return TemplateResponse(request, page.get_template(request), context, status=400)


def _register_parent_on_page(request, page):
    """A theme evening: parents of the region register with their account."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(page.url)
    require(request.user, "foster.register_as_parent", page)
    form = ParentRegistrationForm(request.POST, page=page)
    return _answer_registration(
        request,
        page,
        form,
        "foster.register_parent",
        str(request.user.pk),
        lambda session: _register_parent(session, request.user, form.cleaned_data),
        announce=True,
    )


def _register_parent(session, user, data) -> tuple[int, dict]:
    from django.urls import reverse

    result = services.register_parent(
        session,
        user,
        attendees=data["attendees"],
        childcare_children=data.get("childcare_children") or 0,
    )
    reg = result.registration
    if not result.created:
        message = _("Je was al aangemeld voor deze avond.")
    elif reg.status == "waiting":
        message = _("De avond is vol: je staat op de wachtlijst. Komt er een plaats vrij, dan hoor je het.")
    else:
        message = _("Je bent aangemeld. Je krijgt een bevestiging met een agenda-bestand.")
    return 201, {"next": reverse("foster:my_activities"), "message": message}


@login_required
def my_activities(request):
    """'Mijn activiteiten': the evenings a parent registered for with their account."""
    require(request.user, "foster.my_activities")
    return render(request, "foster/my_activities.html", selectors.my_activities(request.user))


def _register(session, data) -> tuple[int, dict]:
    result = services.register(session, data)
    if result.created:
        return 201, {"next": result.registration.get_absolute_url() + "?nieuw=1"}
    # Same email again: say so, but never hand out someone's personal link on the page.
    services.tell_already_registered(result.registration)
    from django.urls import reverse

    return 200, {"next": reverse("foster:already_registered", args=[session.pk])}


def already_registered(request, session_id: int):
    session = get_object_or_404(EveningSession.objects.select_related("page"), pk=session_id)
    return render(request, "foster/already_registered.html", {"session": session})


def _invalid_link(request, exc):
    return render(request, "foster/invalid_link.html", {"message": exc.message}, status=404)


def registration(request, token: str):
    """The personal link: see, change attendees, cancel, confirm an offer, remove data."""
    try:
        reg = services.get_by_token(token)
    except RegistrationError as exc:
        return _invalid_link(request, exc)
    attendees_form = AttendeesForm(initial={"attendees": reg.attendees})
    if request.method == "POST":
        action = request.POST.get("action")
        # Each change mails the registrant, and whoever registered an address holds its link:
        # a few changes an hour are plenty for a person and useless for flooding an inbox.
        verdict = ratelimit_hit("foster.personal_link.token", token)
        if not verdict.allowed:
            messages.error(
                request,
                _(
                    "Je hebt je aanmelding in korte tijd vaak gewijzigd. Probeer het over "
                    "%(minutes)d minuten opnieuw."
                )
                % {"minutes": verdict.retry_minutes},
            )
            return redirect(reg.get_absolute_url())
        try:
            if action == "attendees" and reg.session.page.by_invitation:
                messages.error(request, _("Het aantal gasten wijzig je via de link in je uitnodiging."))
                return redirect(reg.get_absolute_url())
            elif action == "attendees":
                attendees_form = AttendeesForm(request.POST)
                if attendees_form.is_valid():
                    services.change_attendees(reg, attendees_form.cleaned_data["attendees"])
                    messages.success(request, _("Het aantal personen is aangepast."))
                    return redirect(reg.get_absolute_url())
            elif action == "cancel" and request.POST.get("confirmed") != "1":
                # One tap is too easy to make by mistake: ask first, change nothing yet.
                return render(
                    request,
                    "foster/cancel_confirm.html",
                    {"registration": reg, "session": reg.session, "page": reg.session.page},
                )
            elif action == "cancel":
                services.cancel(reg)
                messages.success(request, _("Je bent afgemeld. Jammer dat je niet kunt komen."))
                return redirect(reg.get_absolute_url())
            elif action == "confirm":
                services.confirm_offer(reg)
                messages.success(request, _("Gelukt: je plaats is bevestigd."))
                return redirect(reg.get_absolute_url())
            elif action == "remove":
                services.remove_data(reg)
                return render(request, "foster/removed.html", {})
            else:
                messages.error(request, _("Onbekende handeling."))
        except RegistrationError as exc:
            messages.error(request, exc.message)
            return redirect(reg.get_absolute_url())
        reg.refresh_from_db()
    session = reg.session
    return render(
        request,
        "foster/registration.html",
        {
            "registration": reg,
            "session": session,
            "page": session.page.specific,
            "attendees_form": attendees_form,
            "is_new": request.GET.get("nieuw") == "1",
            "position": services.waiting_position(reg),
            "can_change": timezone.now() < session.starts_at
            and reg.status in ("confirmed", "waiting", "offered")
            and not session.cancelled_at,
            "retention_months": services.retention_months(),
        },
    )


def region_feed(request, region_slug: str):
    from thuisnet.accounts.models import Region

    region = get_object_or_404(Region, slug=region_slug)
    response = HttpResponse(
        services.region_feed(region, request), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="avonden-{region.slug}.ics"'
    return response


@require_POST
def vacancy_interest(request, page_id: int):
    vacancy = get_object_or_404(VacancyPage.objects.live(), pk=page_id)
    form = InterestForm(request.POST, vacancy=vacancy)
    guard_form(request, form, "foster.interest", email=request.POST.get("email", ""))
    if form.is_valid():
        try:
            services.register_interest(vacancy, form.data_object())
        except RegistrationError as exc:
            form.add_error("postcode", exc.message)
        else:
            return render(request, "foster/interest_done.html", {"vacancy": vacancy})
    context = vacancy.get_context(request)
    context["form"] = form
    return TemplateResponse(request, vacancy.get_template(request), context, status=400)


# --- organisers ------------------------------------------------------------------------


def _session_for(request, session_id: int) -> EveningSession:
    session = get_object_or_404(EveningSession.objects.select_related("page", "page__region"), pk=session_id)
    require(request.user, "foster.organise", session)
    return session


@login_required
def manage_list(request):
    require(request.user, "foster.list_organised")
    past = request.GET.get("tab") == "eerder"
    return render(
        request,
        "foster/manage_list.html",
        {
            "sessions": selectors.organised_sessions(request.user, past=past),
            "past": past,
            "attendance": selectors.organised_attendance(request.user),
        },
    )


@login_required
def manage_session(request, session_id: int):
    session = _session_for(request, session_id)
    regs = list(session.registrations.filter(anonymised_at__isnull=True).select_related("municipality"))
    record_read(request.user, "registration", [r.pk for r in regs], request=request, session=session.pk)
    return render(
        request,
        "foster/manage_session.html",
        {
            "session": session,
            "page": session.page,
            "confirmed": [r for r in regs if r.status in ("confirmed", "offered")],
            "waiting": [r for r in regs if r.status == "waiting"],
            "gone": [r for r in regs if r.status in ("cancelled", "expired")],
            "attendees_confirmed": sum(r.attendees for r in regs if r.status == "confirmed"),
        },
    )


@login_required
def check_in(request, session_id: int):
    session = _session_for(request, session_id)
    walk_in = WalkInForm(page=session.page.specific, prefix="walkin")
    if request.method == "POST":
        if request.POST.get("action") == "walk_in":
            walk_in = WalkInForm(request.POST, page=session.page.specific, prefix="walkin")
            if walk_in.is_valid():
                try:
                    reg = services.add_walk_in(session, walk_in.data_object())
                except RegistrationError as exc:
                    walk_in.add_error(None, exc.message)
                else:
                    messages.success(request, _("%(name)s is toegevoegd en ingecheckt.") % {"name": reg.name})
                    return redirect("foster:check_in", session.pk)
        else:
            raw = request.POST.get("registration", "")
            if not (raw.isascii() and raw.isdecimal()) or len(raw) > 18:
                raise Http404
            reg = get_object_or_404(Registration, pk=int(raw), session=session)
            try:
                services.check_in(reg, attended=request.POST.get("action") != "undo")
            except RegistrationError as exc:
                messages.error(request, exc.message)
            return redirect(f"{request.path}#r{reg.pk}")
    regs = list(session.registrations.filter(status="confirmed", anonymised_at__isnull=True).order_by("name"))
    record_read(request.user, "registration", [r.pk for r in regs], request=request, session=session.pk)
    return render(
        request,
        "foster/check_in.html",
        {
            "session": session,
            "page": session.page,
            "registrations": regs,
            "present": sum(r.attendees for r in regs if r.attended_at),
            "walk_in": walk_in,
            "window_open": services.check_in_open(session),
            "window_opens": services.check_in_window(session)[0],
        },
        status=400 if walk_in.errors else 200,
    )


@login_required
def export(request, session_id: int):
    session = _session_for(request, session_id)
    shown = session.registrations.filter(anonymised_at__isnull=True).values_list("pk", flat=True)
    record_read(request.user, "registration", list(shown), request=request, session=session.pk, export="csv")
    response = HttpResponse("\ufeff" + services.export_csv(session), content_type="text/csv; charset=utf-8")
    local = timezone.localtime(session.starts_at)
    response["Content-Disposition"] = (
        f'attachment; filename="aanmeldingen-{session.page.slug}-{local:%Y%m%d}.csv"'
    )
    return response


@login_required
def message_all(request, session_id: int):
    session = _session_for(request, session_id)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        n = services.message_all(
            session, form.cleaned_data["subject"], form.cleaned_data["body"], sender=request.user
        )
        messages.success(request, _("Je bericht gaat naar %(n)s mensen.") % {"n": n})
        return redirect("foster:manage_session", session.pk)
    return render(
        request, "foster/message.html", {"session": session, "form": form}, status=400 if form.errors else 200
    )


@login_required
def cancel_session(request, session_id: int):
    session = _session_for(request, session_id)
    form = CancelEveningForm(request.POST or None)
    if session.cancelled_at:
        messages.warning(request, _("Deze avond was al afgelast."))
        return redirect("foster:manage_session", session.pk)
    if request.method == "POST" and form.is_valid():
        n = services.cancel_session(session, form.cleaned_data["reason"])
        messages.success(request, _("De avond is afgelast; %(n)s mensen krijgen bericht.") % {"n": n})
        return redirect("foster:manage_session", session.pk)
    return render(
        request, "foster/cancel.html", {"session": session, "form": form}, status=400 if form.errors else 200
    )


# --- the funnel ------------------------------------------------------------------------


@login_required
def prospects(request):
    require(request.user, "foster.list_prospects")
    show_closed = request.GET.get("afgesloten") == "1"
    rows = selectors.prospects_for(request.user, show_closed=show_closed)
    record_read(request.user, "prospect", [row["prospect"].pk for row in rows], request=request)
    return render(request, "foster/prospects.html", {"rows": rows, "show_closed": show_closed})


@login_required
def prospect(request, pk: int):
    p = get_object_or_404(
        Prospect.objects.select_related("provider", "municipality"), pk=pk, anonymised_at__isnull=True
    )
    require(request.user, "foster.follow_up", p)
    record_read(request.user, "prospect", [p.pk], request=request)
    form = StepForm(request.POST or None, prospect=p)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_step(p, form.cleaned_data["stage"], form.cleaned_data["date"], by=request.user)
        except RegistrationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("De stap is vastgelegd."))
            return redirect("foster:prospect", p.pk)
    return render(
        request,
        "foster/prospect.html",
        {
            "prospect": p,
            "steps": p.steps.select_related("by"),
            "form": form,
            "flag": services.needs_first_conversation(p),
        },
        status=400 if form.errors else 200,
    )


@login_required
def report(request):
    region = selectors.report_region(request.user)
    require(request.user, "foster.view_report", region)
    form = ReportForm(request.GET or None, region=region)
    filters = {}
    if form.is_valid():
        filters = {k: form.cleaned_data.get(k) for k in ("start", "end", "municipality")}
    return render(
        request,
        "foster/report.html",
        {
            "region": region,
            "form": form,
            "report": selectors.funnel_report(region, user=request.user, **filters),
            "attendance": selectors.region_attendance(region) if region is not None else [],
        },
        status=400 if form.errors else 200,
    )


# --- thank-you events (bedankmoment) ---------------------------------------------------


def invitation(request, token: str):
    """A household's personal invitation link: answer yes or no, guests, dietary wishes."""
    try:
        inv = services.get_invitation(token)
    except RegistrationError as exc:
        return _invalid_link(request, exc)
    page = inv.page
    session = services.invitations._session_of(page)
    reg = inv.registration
    member_email = ""
    if request.user.is_authenticated and request.user.household_id == inv.household_id:
        member_email = request.user.email
    initial = {
        "coming": {True: "ja", False: "nee"}.get(inv.coming),
        "guests": inv.guests or None,
        "dietary": inv.dietary,
        "email": reg.email if reg else member_email,
    }
    form = InvitationAnswerForm(initial=initial)
    status = 200
    if request.method == "POST":
        verdict = ratelimit_hit("foster.personal_link.token", token)
        form = InvitationAnswerForm(request.POST)
        if not verdict.allowed:
            form.add_error(
                None,
                _(
                    "Je hebt je antwoord in korte tijd vaak gewijzigd. Probeer het over "
                    "%(minutes)d minuten opnieuw."
                )
                % {"minutes": verdict.retry_minutes},
            )
        elif form.is_valid():
            d = form.cleaned_data
            answer = services.Answer(
                coming=d["coming"],
                guests=d.get("guests") or 0,
                dietary=d.get("dietary", ""),
                email=d.get("email", ""),
            )
            try:
                inv = services.answer_invitation(inv, answer)
            except RegistrationError as exc:
                field = {"invalid_guests": "guests", "invalid_dietary": "dietary", "invalid_email": "email"}
                form.add_error(field.get(exc.code), exc.message)
            else:
                if not inv.coming:
                    messages.success(
                        request, _("Dank je voor je antwoord. Jammer dat jullie niet kunnen komen.")
                    )
                elif inv.registration and inv.registration.status == "waiting":
                    messages.success(
                        request,
                        _(
                            "Het bedankmoment is vol: jullie staan op de wachtlijst. "
                            "Komt er plaats, dan hoor je het."
                        ),
                    )
                else:
                    messages.success(
                        request, _("Fijn dat jullie komen! Je krijgt een bevestiging met een agenda-bestand.")
                    )
                return redirect(inv.get_absolute_url())
        status = 400
    return render(
        request,
        "foster/invitation.html",
        {"invitation": inv, "page": page, "session": session, "form": form, "registration": inv.registration},
        status=status,
    )


@login_required
def invite(request, page_id: int):
    """The organiser invites the region's households and sees the answers."""
    page = get_object_or_404(EveningPage.objects.select_related("region"), pk=page_id)
    require(request.user, "foster.organise", page)
    if not page.by_invitation:
        raise Http404(_("Alleen voor een bedankmoment kun je huishoudens uitnodigen."))
    form = InviteForm()
    if request.method == "POST":
        form = InviteForm(request.POST)
        if form.is_valid():
            n = services.invite(page, form.cleaned_data["groups"])
            messages.success(
                request,
                _("%(n)s huishoudens uitgenodigd.") % {"n": n}
                if n
                else _("Er waren geen nieuwe huishoudens om uit te nodigen."),
            )
            return redirect("foster:invite", page_id=page.pk)
    summary = selectors.invitation_summary(page)
    record_read(
        request.user, "invitation", [i.pk for i in summary["without_account"]], request=request, page=page.pk
    )
    return render(
        request,
        "foster/invite.html",
        {"page": page, "form": form, "summary": summary, "session": services.invitations._session_of(page)},
        status=400 if form.is_bound else 200,
    )
