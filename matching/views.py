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
from .forms import ProfileForm, RequestForm, ThemeFilterForm
from .models import MentorProfile


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
