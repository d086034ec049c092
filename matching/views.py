from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thuisnet.accounts.models import User
from thuisnet.accounts.policies import can

from . import selectors, services
from .forms import (
    ConstellationForm,
    CriteriaForm,
    DeclineForm,
    EditProposalForm,
    EndForm,
    GatheringForm,
    NetworkForm,
    ProfileForm,
    RequestForm,
    ThemeFilterForm,
)
from .models import Mentee, MentorProfile, Pairing, Proposal, Round


def overview(request):
    """What mentoring is; for parents: suggestions, own requests and (if experienced) a profile."""
    user = request.user
    context = {
        "can_find": can(user, "matching.find_mentor"),
        "can_mentor": can(user, "matching.become_mentor"),
        "can_view_overview": can(user, "matching.view_overview"),
    }
    if context["can_find"]:
        filter_form = ThemeFilterForm(request.GET or None)
        theme = filter_form.cleaned_data.get("theme") if filter_form.is_valid() else None
        context.update(
            filter_form=filter_form,
            theme=theme,
            suggestions=selectors.suggestions(user, theme=theme),
            requests=selectors.my_requests(user),
            request_form=RequestForm(),
        )
    if context["can_mentor"]:
        profile = MentorProfile.objects.filter(user=user).first()
        context["profile"] = profile
        context["profile_form"] = ProfileForm(
            initial={
                "about": profile.about,
                "themes": profile.themes,
                "max_mentees": profile.max_mentees,
                "is_available": profile.is_available,
                "is_ambassador": profile.is_ambassador,
            }
            if profile
            else None
        )
    if context["can_view_overview"]:
        context["region_counts"] = selectors.overview(user)
    return render(request, "matching/overview.html", context)


@login_required
@require_POST
def save_profile(request):
    if not can(request.user, "matching.become_mentor"):
        messages.error(
            request,
            _(
                "Mentor worden kan als je minstens twee jaar pleeg-, steun- of "
                "gezinshuisouder bent en je aanbieder je gezin heeft bevestigd."
            ),
        )
        return redirect("matching:overview")
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            services.save_profile(request.user, **form.cleaned_data)
        except services.MatchingError as exc:
            form.add_error("about", str(exc))
        else:
            messages.success(request, _("Je mentorprofiel is opgeslagen."))
            return redirect("matching:overview")
    return render(request, "matching/profile_form.html", {"profile_form": form}, status=422)


@login_required
@require_POST
def request_mentor(request, mentor_id: int):
    mentor = get_object_or_404(User, pk=mentor_id)
    profile = MentorProfile.objects.filter(user=mentor).select_related("user__household").first()
    if profile is not None and profile.is_available and not can(request.user, "matching.ask_mentor", profile):
        raise PermissionDenied  # e.g. a mentor of another region
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            services.request_mentor(request.user, mentor, form.cleaned_data["message"])
        except services.MatchingError as exc:
            form.add_error("message", str(exc))
        else:
            messages.success(request, _("Je verzoek is verstuurd. De mentor krijgt een e-mail."))
            return redirect("matching:overview")
    return render(request, "matching/request_form.html", {"form": form, "mentor": mentor}, status=422)


@login_required
@require_POST
def decide(request, request_id: int, decision: str):
    try:
        services.decide(request.user, request_id, accept=decision == "accepteren")
    except services.MatchingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Je antwoord is verstuurd."))
    return redirect("matching:overview")


@login_required
@require_POST
def close(request, request_id: int):
    try:
        services.withdraw_or_end(request.user, request_id)
    except services.MatchingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Afgesloten."))
    return redirect("matching:overview")


# --- coordinator matching, pairings, check-ins, network (issue 11) ---------------------------


def _region_or_403(user):
    region = selectors.coordinator_region(user)
    if region is None:
        raise PermissionDenied
    return region


@login_required
def rounds(request):
    """The coordinator's matching page: start a round, earlier rounds, the region's figures."""
    region = _region_or_403(request.user)
    if request.method == "POST":
        rnd = services.run_round(request.user, region)
        return redirect("matching:round", rnd.pk)
    return render(
        request,
        "matching/rounds.html",
        {
            "region": region,
            "rounds": Round.objects.filter(region=region)[:10],
            "counts": selectors.overview(request.user),
        },
    )


@login_required
def round_detail(request, round_id: int):
    rnd = get_object_or_404(Round, pk=round_id)
    if not can(request.user, "matching.run_round", rnd.region):
        raise PermissionDenied
    if request.method == "POST":
        try:
            if "confirm" in request.POST:
                made = services.confirm_round(request.user, rnd.pk)
                messages.success(request, _("Bevestigd: %(n)s koppelingen voorgesteld.") % {"n": len(made)})
            else:
                form = EditProposalForm(request.POST)
                if form.is_valid():
                    services.edit_proposal(
                        request.user, int(request.POST.get("proposal", 0)), form.cleaned_data["mentor"]
                    )
                    messages.success(request, _("Voorstel aangepast."))
        except (services.RoundError, Proposal.DoesNotExist) as exc:
            messages.error(request, str(exc))
        return redirect("matching:round", rnd.pk)
    return render(request, "matching/round.html", selectors.round_view(rnd))


@login_required
def region_view(request):
    region = _region_or_403(request.user)
    return render(
        request,
        "matching/region.html",
        {
            "region": region,
            "figures": selectors.region_figures(request.user, region),
            "buddies": selectors.buddy_conversion(region),
        },
    )


@login_required
def ask(request):
    """A starting parent asks for a mentor with their criteria."""
    if not can(request.user, "matching.find_mentor"):
        raise PermissionDenied
    form = CriteriaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_for_mentor(request.user, **form.cleaned_data)
        except services.MatchingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Je staat op de lijst. De coördinator koppelt je in de volgende ronde.")
            )
        return redirect("matching:pairings")
    return render(request, "matching/ask.html", {"form": form}, status=422 if form.errors else 200)


@login_required
def offer(request):
    """An experienced parent's mentor criteria."""
    if not can(request.user, "matching.become_mentor"):
        raise PermissionDenied
    form = CriteriaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_offer(request.user, **form.cleaned_data)
        except services.MatchingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Opgeslagen. Je aanbieder bevestigt je als mentor."))
        return redirect("matching:pairings")
    return render(
        request, "matching/ask.html", {"form": form, "is_offer": True}, status=422 if form.errors else 200
    )


@login_required
def pairings(request):
    """My pairings (both sides), the worker's families' pairings, mentors to confirm."""
    user = request.user
    mine = [(p, services.contact_for(user, p)) for p in selectors.my_pairings(user)]
    return render(
        request,
        "matching/pairings.html",
        {
            "mine": mine,
            "waiting": Mentee.objects.filter(
                household_id=user.household_id, status=Mentee.Status.WAITING
            ).first()
            if user.household_id
            else None,
            "provider_pairings": selectors.provider_pairings(user),
            "to_verify": selectors.unverified_mentors(user),
            "decline_form": DeclineForm(),
            "end_form": EndForm(),
        },
    )


@login_required
@require_POST
def pairing_action(request, pairing_id: int, action: str):
    try:
        if action == "accepteren":
            services.answer(request.user, pairing_id, accept=True)
        elif action == "afwijzen":
            services.answer(request.user, pairing_id, accept=False, reason=request.POST.get("reason", ""))
        elif action == "check-in":
            services.send_checkin(request.user, pairing_id)
        elif action == "beeindigen":
            services.end(
                request.user,
                pairing_id,
                request.POST.get("reason", ""),
                rematch=bool(request.POST.get("rematch")),
            )
    except (services.PairingError, Pairing.DoesNotExist) as exc:
        messages.error(request, str(exc) or _("Deze koppeling bestaat niet."))
    else:
        messages.success(request, _("Gelukt."))
    return redirect("matching:pairings")


@login_required
@require_POST
def verify(request, profile_id: int):
    profile = get_object_or_404(MentorProfile.objects.select_related("user__household"), pk=profile_id)
    if not can(request.user, "matching.verify_mentor", profile):
        raise PermissionDenied
    services.verify_mentor(request.user, profile.pk)
    messages.success(request, _("Mentor bevestigd."))
    return redirect("matching:pairings")


def checkin(request, token: str):
    """One-click answer from an email. GET shows the answer with one button; the POST records it
    (mail scanners open links, so a GET must not count as an answer)."""
    try:
        item, answer = services.read_link(token)
    except services.PairingError as exc:
        return render(request, "matching/checkin.html", {"error": str(exc)}, status=400)
    done = False
    if request.method == "POST":
        item = services.record_answer(token)
        done = True
    label = dict(item.Answer.choices)[answer]
    return render(request, "matching/checkin.html", {"checkin": item, "answer": label, "done": done})


@login_required
def network(request):
    """The household's own network list (netwerkstrategie)."""
    # After a trial period the pairings page links here with the mentor's first name filled in.
    initial = (
        {"first_name": request.GET.get("voornaam", "")[:40], "relation": _("mentor")}
        if "voornaam" in request.GET
        else None
    )
    form = NetworkForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if "delete" in request.POST:
            services.delete_network_contact(request.user, int(request.POST["delete"]))
            return redirect("matching:network")
        if form.is_valid():
            try:
                services.save_network_contact(request.user, **form.cleaned_data)
            except services.MatchingError as exc:
                form.add_error("first_name", str(exc))
            else:
                return redirect("matching:network")
    return render(
        request,
        "matching/network.html",
        {
            "form": form,
            "contacts": selectors.network(request.user),
            "is_household": bool(request.user.household_id),
        },
        status=422 if form.errors else 200,
    )


# --- buddies for prospects (issue 11, item 4) ------------------------------------------------


@login_required
def buddies(request):
    """A prospect's buddy conversation, an ambassador's conversations, a provider's overview."""
    from .buddies import BuddyError, ask_buddy, details_for, end_buddy, send_message, share_details

    user = request.user
    if request.method == "POST":
        try:
            action, buddy_id = request.POST.get("action", ""), int(request.POST.get("buddy") or 0)
            if action == "ask":
                ask_buddy(user)
            elif action == "message":
                send_message(user, buddy_id, request.POST.get("body", ""))
            elif action == "share":
                share_details(user, buddy_id)
            elif action == "end":
                end_buddy(user, buddy_id)
        except (BuddyError, ValueError) as exc:
            messages.error(request, str(exc))
        return redirect("matching:buddies")
    talks = [(b, details_for(user, b)) for b in selectors.buddy_talks(user)]
    return render(
        request,
        "matching/buddies.html",
        {
            "talks": talks,
            "may_ask": can(user, "matching.ask_buddy", user.region)
            and not any(b.status == "active" for b, _d in talks),
            "provider_view": selectors.provider_buddies(user),
        },
    )


@login_required
def constellation(request):
    """A member's view of their constellation: the other families' first names, the coming
    get-togethers, and (for the hub family) a form to plan one."""
    from .constellations import (
        GatheringError,
        constellation_of,
        gatherings_for,
        member_first_names,
        plan_gathering,
    )

    current = constellation_of(request.user.household_id)
    may_plan = current is not None and can(request.user, "matching.plan_gathering", current)
    form = GatheringForm(request.POST or None) if may_plan else None
    status = 200
    if request.method == "POST":
        if not may_plan:
            raise PermissionDenied
        if form.is_valid():
            try:
                plan_gathering(request.user, current, **form.cleaned_data)
            except GatheringError as exc:
                for field, message in exc.errors.items():
                    form.add_error(field, message)
            else:
                messages.success(
                    request, _("De bijeenkomst staat in de agenda. De gezinnen krijgen een melding.")
                )
                return redirect("matching:constellation")
        status = 422
    return render(
        request,
        "matching/constellation.html",
        {
            "constellation": current,
            "members": member_first_names(request.user),
            "gatherings": gatherings_for(request.user),
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def cancel_gathering(request, gathering_id: int):
    from .constellations import cancel_gathering as cancel
    from .models import Gathering

    gathering = get_object_or_404(Gathering.objects.select_related("constellation"), pk=gathering_id)
    if not can(request.user, "matching.plan_gathering", gathering.constellation):
        raise PermissionDenied
    cancel(request.user, gathering.pk)
    messages.success(request, _("De bijeenkomst is afgezegd. De gezinnen krijgen een melding."))
    return redirect("matching:constellation")


@login_required
def gatherings_feed(request):
    """The member's calendar file of their constellation's get-togethers."""
    from django.http import HttpResponse

    from .constellations import constellation_of, gatherings_calendar

    current = constellation_of(request.user.household_id)
    if current is None or not can(request.user, "matching.view_gatherings", current):
        raise PermissionDenied
    response = HttpResponse(gatherings_calendar(request.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bijeenkomsten.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def manage_constellations(request):
    """Provider staff: their constellations, and a form to form or re-form one."""
    if not can(request.user, "matching.open_constellations"):
        raise PermissionDenied
    households = selectors.constellation_households(request.user)
    from .constellations import ConstellationError, form_constellation

    form = ConstellationForm(request.POST or None, households=households)
    if request.method == "POST" and form.is_valid():
        try:
            made = form_constellation(
                request.user,
                name=form.cleaned_data["name"],
                hub=form.cleaned_data["hub"],
                satellites=list(form.cleaned_data["satellites"]),
                members_first_days=form.cleaned_data["members_first_days"],
            )
        except ConstellationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Constellatie %(name)s is opgeslagen.") % {"name": made.name})
            return redirect("matching:manage_constellations")
    return render(
        request,
        "matching/constellations_manage.html",
        {"constellations": selectors.provider_constellations(request.user), "form": form},
    )
