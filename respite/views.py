"""Pages: parents search and request; providers keep offers and decide; the region sees demand."""

from __future__ import annotations

import csv
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thuisnet.accounts.policies import can, require
from thuisnet.core import disclosure
from thuisnet.core.idempotency import (
    IdempotencyBusy,
    IdempotencyConflict,
    form_fingerprint,
    form_replay_message,
    lookup,
    new_form_token,
    once,
    principal_of,
)

from . import selectors, services
from .forms import (
    AgreementForm,
    BlockForm,
    BookingForm,
    DecisionForm,
    DemandFilterForm,
    MessageForm,
    OfferForm,
    PatternForm,
    SearchForm,
)
from .models import AvailabilityPattern, BlockedDate, Booking, Kind, Offer, Part, WorkingAgreement


def search(request):
    region_id = selectors.region_of(request.user)
    form = SearchForm(request.GET or None, region_id=region_id)
    hits, searched = [], False
    if request.GET and form.is_valid():
        d = form.cleaned_data
        q = services.Query(
            start=d["start"],
            end=d["end"],
            age=d.get("age"),
            kind=d.get("kind") or "",
            municipality=d.get("municipality"),
            postcode=d.get("postcode") or "",
            radius_km=d.get("radius"),
            needs=d.get("needs") or [],
            emergency=bool(d.get("emergency")),
        )
        hits = selectors.search(request.user, q)
        searched = True
        if not hits and region_id and can(request.user, "respite.book"):
            if not request.session.session_key:
                request.session.save()
            services.record_empty_search(q, region_id, dedupe=request.session.session_key or "")
    return render(
        request,
        "respite/search.html",
        {
            "form": form,
            "hits": hits,
            "searched": searched,
            "query": request.GET.urlencode(),
            "can_book": can(request.user, "respite.book"),
        },
    )


# Which field a refusal of the service belongs to: shown there and in the error summary.
ERROR_FIELDS = {
    "invalid_dates": "end",
    "in_the_past": "start",
    "too_far_ahead": "start",
    "lead_time": "start",
    "min_notice": "start",
    "too_long": "end",
    "flexible_length": "end",
    "members_first": "start",
    "invalid_part": "part",
    "invalid_child": "child_ref",
    "invalid_age": "child_age",
    "age_out_of_range": "child_age",
    "invalid_needs": "needs",
    "needs_not_handled": "needs",
    "quarter_limit": "child_ref",
}


def _month(request) -> tuple[int, int]:
    """The calendar's month: ``?maand=``, else the searched start, else this month; never a
    month before the current one unless asked for explicitly with ``?maand=``."""
    today = timezone.localdate()
    raw = request.GET.get("maand", "")
    try:
        y, m = (int(x) for x in raw.split("-"))
        date(y, m, 1)
        return y, m
    except ValueError:
        try:
            d = max(date.fromisoformat(request.GET.get("start", "")), today)
        except ValueError:
            d = today
        return d.year, d.month


def _shift(y: int, m: int, by: int) -> str:
    m0 = y * 12 + (m - 1) + by
    return f"{m0 // 12}-{m0 % 12 + 1:02d}"


def offer_detail(request, pk: int):
    offer = get_object_or_404(Offer.objects.select_related("provider", "municipality"), pk=pk)
    if not can(request.user, "respite.view_offer", offer):
        raise Http404
    y, m = _month(request)
    form = None
    if can(request.user, "respite.book", offer):
        initial = {"form_token": new_form_token()}
        for key in ("start", "end", "age"):
            if request.GET.get(key):
                initial["child_age" if key == "age" else key] = request.GET[key]
        if request.GET.getlist("needs"):
            initial["needs"] = request.GET.getlist("needs")
        initial["emergency"] = request.GET.get("emergency") == "on"
        form = BookingForm(offer=offer, initial=initial)
    return _render_offer(request, offer, form, y, m)


def _render_offer(request, offer, form, y, m, status=200):
    agreement = WorkingAgreement.for_region(offer.municipality.region_id)
    reserved = agreement.reserved(offer.capacity)
    return render(
        request,
        "respite/offer_detail.html",
        {
            "offer": offer,
            "form": form,
            "weeks": services.month_calendar(
                offer, y, m, members_first_for=getattr(request.user, "household_id", None)
            ),
            "month": date(y, m, 1),
            "prev_month": _shift(y, m, -1),
            "next_month": _shift(y, m, 1),
            "agreement": agreement,
            "reserved": reserved,  # places per night kept for emergencies, explained on the page
            "usable": offer.capacity - reserved,
            "weekdays": [_("ma"), _("di"), _("wo"), _("do"), _("vr"), _("za"), _("zo")],
        },
        status=status,
    )


@login_required
@require_POST
def request_booking(request, pk: int):
    offer = get_object_or_404(Offer.objects.select_related("provider"), pk=pk, is_active=True)
    if not can(request.user, "respite.book", offer):
        messages.error(
            request,
            _(
                "Alleen bevestigde pleeg-, steun- en gezinshuisouders uit de regio kunnen "
                "respijtopvang aanvragen."
            ),
        )
        return redirect("respite:offer", pk=offer.pk)
    form = BookingForm(request.POST, offer=offer)
    principal = principal_of(request.user)
    if form.is_valid():
        d = form.cleaned_data
        token = d["form_token"]
        previous = lookup("respite.booking_form", token, principal)
        if previous is None:

            def produce():
                booking = services.request_booking(
                    request.user,
                    offer,
                    start=d["start"],
                    end=d["end"],
                    part=d.get("part") or Part.NIGHT,
                    child=services.Child(d["child_ref"], d["child_age"], d.get("needs") or []),
                    emergency=d.get("emergency", False),
                    notes=d.get("notes", ""),
                    contact_phone=d.get("contact_phone", ""),
                )
                return 201, {"id": booking.pk}

            try:
                previous = once(
                    "respite.booking_form", token, principal, produce, fingerprint=form_fingerprint(request)
                )
            except services.RespiteError as exc:
                field = ERROR_FIELDS.get(exc.code)
                form.add_error(field if field in form.fields else None, exc.message)
            except (IdempotencyConflict, IdempotencyBusy) as exc:
                form.add_error(None, form_replay_message(exc))
        if previous is not None:
            messages.success(
                request,
                _("Je aanvraag is verstuurd. De plek is voor je vastgehouden tot de aanbieder beslist."),
            )
            return redirect("respite:booking", pk=previous[1]["id"])
    start = getattr(form, "cleaned_data", {}).get("start")
    if start and start >= timezone.localdate():
        y, m = start.year, start.month
    else:
        y, m = _month(request)
    return _render_offer(request, offer, form, y, m, status=422)


@login_required
def my_bookings(request):
    require(request.user, "respite.cancel_own")  # a parent with a household
    return render(request, "respite/my_bookings.html", {"bookings": selectors.own_bookings(request.user)})


@login_required
def booking_detail(request, pk: int):
    booking = get_object_or_404(
        Booking.objects.select_related(
            "offer", "offer__provider", "offer__municipality", "offer__host_user", "household"
        ),
        pk=pk,
    )
    require(request.user, "respite.view_booking", booking)
    show_child = can(request.user, "respite.view_child", booking)
    is_provider = can(request.user, "respite.decide_booking", booking)
    if show_child or is_provider:  # the provider sees the needs before accepting, too
        selectors.audit_child_reads(request, [booking], [booking.pk])
    is_parent = booking.household_id == request.user.household_id
    household = services.for_provider(booking) if is_provider and not is_parent else None
    if household is not None:
        selectors.audit_household_read(request, booking)
    return _render_booking(request, booking, show_child, is_provider, is_parent, household)


def _payouts_enabled() -> bool:
    """Payouts are on for this installation (read lazily: with them off nothing of Stripe is
    imported, and ``conf`` imports no Stripe either way)."""
    from respite.payouts import conf

    return conf.enabled()


def _render_booking(request, booking, show_child, is_provider, is_parent, household, message_form=None):
    status = 422 if message_form is not None and message_form.errors else 200
    return render(
        request,
        "respite/booking_detail.html",
        {
            "booking": booking,
            "show_child": show_child,
            "is_provider": is_provider,
            "is_parent": is_parent,
            "handover": services.for_parent(booking) if is_parent else None,
            "household": household,
            "thread": booking.messages.all()
            if services.thread_open(booking) or booking.messages.exists()
            else [],
            "thread_open": services.thread_open(booking),
            "message_form": message_form or MessageForm(),
            "cutoff": services.parent_cutoff(booking),
            "decision_form": DecisionForm(),
            "now": timezone.now(),
            "payout_link": is_provider and selectors.stay_completed(booking) and _payouts_enabled(),
        },
        status=status,
    )


@login_required
@require_POST
def booking_message(request, pk: int):
    """The household or the provider writes in the booking's thread."""
    booking = get_object_or_404(
        Booking.objects.select_related("offer", "offer__provider", "offer__municipality", "household"), pk=pk
    )
    require(request.user, "respite.view_booking", booking)
    is_parent = booking.household_id == request.user.household_id
    is_provider = can(request.user, "respite.decide_booking", booking)
    if not (is_parent or is_provider):
        raise PermissionDenied
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.post_message(
                request.user, booking, form.cleaned_data["body"], from_provider=not is_parent
            )
        except services.RespiteError as exc:
            form.add_error("body", exc.message)
        else:
            messages.success(request, _("Je bericht is verstuurd."))
            return redirect(reverse("respite:booking", args=[booking.pk]) + "#berichten")
    show_child = can(request.user, "respite.view_child", booking)
    household = services.for_provider(booking) if is_provider and not is_parent else None
    if household is not None:
        selectors.audit_household_read(request, booking)
    return _render_booking(request, booking, show_child, is_provider, is_parent, household, form)


@login_required
@require_POST
def booking_action(request, pk: int, action: str):
    booking = get_object_or_404(Booking.objects.select_related("offer", "offer__provider"), pk=pk)
    form = DecisionForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        if action == "annuleren" and booking.household_id == request.user.household_id:
            require(request.user, "respite.cancel_own", booking)
            services.cancel_by_parent(request.user, booking)
            messages.success(request, _("De aanvraag is geannuleerd."))
        elif action == "accepteren":
            require(request.user, "respite.decide_booking", booking)
            services.accept(request.user, booking)
            messages.success(request, _("Geaccepteerd. De ouder krijgt een bevestiging met agenda-bestand."))
        elif action == "afwijzen":
            require(request.user, "respite.decide_booking", booking)
            services.decline(request.user, booking, reason)
            messages.success(request, _("Afgewezen. De ouder is op de hoogte gebracht."))
        elif action == "annuleren-aanbieder":
            require(request.user, "respite.decide_booking", booking)
            services.cancel_by_provider(request.user, booking, reason)
            messages.success(request, _("Geannuleerd. De ouder is op de hoogte gebracht."))
        else:
            raise PermissionDenied
    except services.RespiteError as exc:
        messages.error(request, exc.message)
    return redirect("respite:booking", pk=booking.pk)


# ---------------------------------------------------------------- provider staff and host families


@login_required
def manage(request):
    require(request.user, "respite.manage_availability")  # provider staff or a host family
    return render(request, "respite/manage.html", selectors.manage_lists(request.user))


def _provider_for_new(request):
    wanted = request.GET.get("aanbieder") or request.POST.get("provider_id")
    return selectors.provider_for_new(request.user, wanted)


@login_required
def offer_new(request):
    provider = _provider_for_new(request)
    require(request.user, "respite.manage_offer", provider)
    form = OfferForm(request.POST or None, provider=provider, initial={"capacity": 1})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            offer = services.create_offer(
                provider,
                capacity=d["capacity"],
                **{
                    k: d[k]
                    for k in (
                        "title",
                        "kind",
                        "description",
                        "municipality",
                        "postcode",
                        "age_min",
                        "age_max",
                        "handles",
                        "min_notice_hours",
                        "max_stay",
                        "min_stay",
                        "host_user",
                        "is_active",
                    )
                },
            )
        except services.RespiteError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Het aanbod is opgeslagen. Geef nu aan wanneer het beschikbaar is."))
            return redirect("respite:offer_edit", pk=offer.pk)
    return render(
        request,
        "respite/offer_form.html",
        {"form": form, "provider": provider, "offer": None},
        status=422 if form.errors else 200,
    )


@login_required
def offer_edit(request, pk: int):
    offer = get_object_or_404(Offer.objects.select_related("provider"), pk=pk)
    if not can(request.user, "respite.manage_availability", offer):
        raise PermissionDenied
    full = can(request.user, "respite.manage_offer", offer)
    form = (
        OfferForm(
            request.POST or None,
            instance=offer,
            provider=offer.provider,
            initial={"capacity": offer.capacity},
        )
        if full
        else None
    )
    if full and request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        # The kind of an offer is fixed once it exists: its ledger is per night or day part.
        fields = {k: d[k] for k in services.OFFER_FIELDS if k != "kind"}
        offer = Offer.objects.get(pk=offer.pk)  # the form mutated the instance; start clean
        try:
            services.update_offer(offer, capacity=d["capacity"], **fields)
        except services.RespiteError as exc:
            form.add_error("capacity" if exc.code == "capacity_in_use" else None, exc.message)
        else:
            messages.success(request, _("Wijzigingen opgeslagen."))
            return redirect("respite:offer_edit", pk=offer.pk)
    return _render_offer_edit(request, offer, form)


def _render_offer_edit(request, offer, form, *, pattern_form=None, block_form=None):
    """The offer's page for its keepers; a refused availability or block form comes back here
    bound, with its errors at the fields and in the summary, and what was typed kept."""
    y, m = _month(request)
    refused = any(f is not None and f.errors for f in (form, pattern_form, block_form))
    return render(
        request,
        "respite/offer_form.html",
        {
            "form": form,
            "offer": offer,
            "provider": offer.provider,
            "pattern_form": pattern_form or PatternForm(),
            "block_form": block_form or BlockForm(),
            "patterns": offer.patterns.select_related("event"),
            "blocked": offer.blocked_dates.filter(day__gte=timezone.localdate()),
            "weeks": services.month_calendar(offer, y, m),
            "month": date(y, m, 1),
            "prev_month": _shift(y, m, -1),
            "next_month": _shift(y, m, 1),
            "weekdays": [_("ma"), _("di"), _("wo"), _("do"), _("vr"), _("za"), _("zo")],
        },
        status=422 if refused else 200,
    )


def _keeper_form(request, offer):
    """The offer form as ``offer_edit`` shows it, unbound (for re-rendering another form)."""
    if not can(request.user, "respite.manage_offer", offer):
        return None
    return OfferForm(instance=offer, provider=offer.provider, initial={"capacity": offer.capacity})


@login_required
@require_POST
def offer_delete(request, pk: int):
    offer = get_object_or_404(Offer, pk=pk)
    require(request.user, "respite.manage_offer", offer)
    try:
        services.delete_offer(offer)
    except services.RespiteError as exc:
        messages.error(request, exc.message)
        return redirect("respite:offer_edit", pk=offer.pk)
    messages.success(request, _("Het aanbod is verwijderd."))
    return redirect("respite:manage")


@login_required
@require_POST
def pattern_add(request, pk: int):
    offer = get_object_or_404(Offer, pk=pk)
    require(request.user, "respite.manage_availability", offer)
    form = PatternForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.add_pattern(
                offer,
                start=d["start"],
                end=d["end"],
                repeat=d["repeat"],
                until=d.get("until"),
                user=request.user,
            )
            messages.success(request, _("Beschikbaarheid toegevoegd."))
            return redirect("respite:offer_edit", pk=offer.pk)
        except services.RespiteError as exc:
            form.add_error("end_date" if exc.code == "invalid_period" else None, exc.message)
    return _render_offer_edit(request, offer, _keeper_form(request, offer), pattern_form=form)


@login_required
@require_POST
def pattern_delete(request, pk: int, pattern_pk: int):
    pattern = get_object_or_404(AvailabilityPattern, pk=pattern_pk, offer_id=pk)
    require(request.user, "respite.manage_availability", pattern.offer)
    try:
        services.remove_pattern(pattern)
        messages.success(request, _("Beschikbaarheid verwijderd."))
    except services.RespiteError as exc:
        messages.error(request, exc.message)
    return redirect("respite:offer_edit", pk=pk)


@login_required
@require_POST
def block_add(request, pk: int):
    offer = get_object_or_404(Offer, pk=pk)
    require(request.user, "respite.manage_availability", offer)
    form = BlockForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        first, last = d["day"], d.get("until") or d["day"]
        try:
            services.block_dates(offer, first, last, d.get("reason", ""))
            messages.success(request, _("Datum geblokkeerd."))
            return redirect("respite:offer_edit", pk=offer.pk)
        except services.RespiteError as exc:
            form.add_error(None, exc.message)
    return _render_offer_edit(request, offer, _keeper_form(request, offer), block_form=form)


@login_required
@require_POST
def block_delete(request, pk: int, block_pk: int):
    blocked = get_object_or_404(BlockedDate, pk=block_pk, offer_id=pk)
    require(request.user, "respite.manage_availability", blocked.offer)
    services.unblock_date(blocked)
    messages.success(request, _("Blokkade opgeheven."))
    return redirect("respite:offer_edit", pk=pk)


# ---------------------------------------------------------------- region


def _coordinator_region(request):
    return selectors.demand_region(request.user, request.GET.get("regio"))


def _period(request):
    today = timezone.localdate()
    form = DemandFilterForm(
        request.GET or None, initial={"start": today - timedelta(days=28), "end": today + timedelta(days=56)}
    )
    if request.GET and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, today - timedelta(days=28), today + timedelta(days=56)


@login_required
def demand(request):
    region = _coordinator_region(request)
    form, first, last = _period(request)
    agreement = WorkingAgreement.for_region(region.pk)
    agreement_form = AgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST":
        require(request.user, "respite.manage_agreements", region)
        if agreement_form.is_valid():
            services.save_agreement(region, **agreement_form.cleaned_data)
            messages.success(request, _("De werkafspraken zijn opgeslagen."))
            return redirect("respite:demand")
    report = services.demand_report(region, first, last)
    kind = form.cleaned_data.get("kind", "") if form.is_bound and form.is_valid() else ""
    tab = "werkafspraken" if request.GET.get("tab") == "werkafspraken" or agreement_form.errors else "kaart"
    return render(
        request,
        "respite/demand.html",
        {
            "region": region,
            "tab": tab,
            "map": services.demand_map(region, first, last, kind),
            "agreement_usage": _agreement_usage(region, agreement),
            "form": form,
            "report": report,
            "agreement_form": agreement_form,
            "small_cell": services.SMALL_CELL,
            "kinds": Kind.choices,
            "query": request.GET.urlencode(),
        },
        status=422 if agreement_form.errors else 200,
    )


def _agreement_usage(region, agreement) -> list[dict]:
    """How far each working agreement is used (a share of its limit; counts via disclosure)."""
    from .models import Booking as _Booking

    today = timezone.localdate()
    q_start = services._quarter(today)[0]
    q_end = services._quarter(today)[1]
    holding = _Booking.objects.filter(
        offer__municipality__region=region, status__in=_Booking.HOLDING, start__lte=q_end, end__gte=q_start
    )
    emergencies = holding.filter(emergency=True).count()
    late = 0
    decided = _Booking.objects.filter(
        offer__municipality__region=region, decided_at__isnull=False, created_at__date__gte=q_start
    )
    for created, decided_at in decided.values_list("created_at", "decided_at"):
        if (decided_at - created).total_seconds() > agreement.decision_hours * 3600:
            late += 1
    return [
        {
            "label": _("Crisisopvang (aanvragen dit kwartaal)"),
            "limit": _("%(p)s%% van de plaatsen per nacht gereserveerd") % {"p": agreement.emergency_share},
            "used": disclosure.count(emergencies),
        },
        {
            "label": _("Beslissingen na de beslistermijn (dit kwartaal)"),
            "limit": _("binnen %(h)s uur") % {"h": agreement.decision_hours},
            "used": disclosure.count(late),
        },
    ]


@login_required
def demand_csv(request):
    region = _coordinator_region(request)
    _form, first, last = _period(request)
    report = services.demand_report(region, first, last)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="respijt-vraag-{first}-{last}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("week"),
            _("gemeente"),
            _("soort"),
            _("capaciteit"),
            _("aangevraagd"),
            _("geboekt"),
            _("onvervulde vraag"),
        ]
    )
    for row in report["rows"]:
        writer.writerow(
            [
                row["week"],
                row["municipality"],
                row["kind_label"],
                row["capacity"],
                row["requested"],
                row["booked"],
                row["unmet"],
            ]
        )
    writer.writerow([])
    writer.writerow([_("aanbieder"), _("capaciteit"), _("bezet"), _("bezetting %")])
    for p in report["providers"]:
        writer.writerow(
            [p["provider"], p["capacity"], p["held"], "" if p["occupancy"] is None else p["occupancy"]]
        )
    return response
