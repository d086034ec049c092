"""Payout pages. With ``PAYOUTS_ENABLED`` off every one of them answers 404 and nothing of
Stripe is imported (the gateway imports it inside its functions)."""

from __future__ import annotations

import functools
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from respite.models import Booking
from thuisnet.accounts.models import Region
from thuisnet.accounts.policies import can, require
from thuisnet.core.audit import record_read

from . import conf, exports, gateway, selectors, services
from .forms import ConfirmStayForm, RateCardForm, ReconcileForm
from .models import Payout


def payouts_on(view):
    """404 unless the region turned payouts on."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not conf.enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@payouts_on
@login_required
def overview(request):
    """A host's page: the Stripe account's state and the payouts received."""
    user = request.user
    is_host = can(user, "payouts.onboard")
    if not is_host and can(user, "payouts.confirm_stay"):
        return redirect("payouts:provider")
    if not is_host and can(user, "payouts.manage_region"):
        return redirect("payouts:region")
    if not is_host:
        raise PermissionDenied
    payouts = list(selectors.own_payouts(user))
    month_used, year_used = services.allowance_used(user.pk, timezone.localdate())
    cap = conf.cap_for(timezone.localdate().year)
    return render(
        request,
        "payouts/overview.html",
        {
            "account": selectors.own_account(user),
            "payouts": payouts,
            "month_used": services.euros(month_used),
            "year_used": services.euros(year_used),
            "cap": cap,
            "cap_month": services.euros(cap.month) if cap else "",
            "cap_year": services.euros(cap.year_total) if cap else "",
        },
    )


def _to_stripe_onboarding(request):
    """Make a fresh onboarding link for the host and send them to Stripe (first time or after
    the link expired)."""
    require(request.user, "payouts.onboard")
    try:
        url = services.start_onboarding(
            request.user,
            return_url=request.build_absolute_uri(reverse("payouts:onboard_return")),
            refresh_url=request.build_absolute_uri(reverse("payouts:onboard_refresh")),
        )
    except gateway.GatewayError:
        messages.error(request, _("Stripe is nu niet bereikbaar. Probeer het over een paar minuten opnieuw."))
        return redirect("payouts:overview")
    return redirect(url)


@payouts_on
@login_required
@require_POST
def onboard(request):
    return _to_stripe_onboarding(request)


@payouts_on
@login_required
def onboard_refresh(request):
    """Stripe sends the host here when the link expired: make a new one."""
    return _to_stripe_onboarding(request)


@payouts_on
@login_required
def onboard_return(request):
    require(request.user, "payouts.onboard")
    try:
        account = services.refresh_account(request.user)
    except gateway.GatewayError:
        account = None
        messages.error(request, _("We konden de stand bij Stripe niet ophalen. Probeer het later opnieuw."))
    if account is not None and account.ready:
        messages.success(request, _("Je aanmelding bij Stripe is klaar: je kunt uitbetalingen ontvangen."))
    elif account is not None:
        messages.info(request, _("Stripe heeft nog gegevens van je nodig. Ga verder waar je was gebleven."))
    return redirect("payouts:overview")


@payouts_on
@login_required
def provider(request):
    """Provider staff: completed host stays to confirm, and the payouts made."""
    require(request.user, "payouts.confirm_stay")
    stays = list(selectors.stays_to_confirm(request.user))
    return render(request, "payouts/provider.html", {"stays": stays})


@payouts_on
@login_required
def confirm(request, pk: int):
    booking = get_object_or_404(
        Booking.objects.select_related("offer", "offer__municipality", "offer__host_user"), pk=pk
    )
    require(request.user, "payouts.confirm_stay", booking)
    units = services.units_for(booking)
    initial = {"unit": units[0], "quantity": booking.units}
    form = ConfirmStayForm(request.POST or None, units=units, initial=initial)
    rates = {u: services.rate_for(booking.offer.municipality.region_id, u, booking.start) for u in units}
    if request.method == "POST" and form.is_valid():
        try:
            payout = services.confirm_stay(
                booking,
                by=request.user,
                unit=form.cleaned_data["unit"],
                quantity=form.cleaned_data["quantity"],
            )
        except services.PayoutRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            if payout.status == payout.Status.PAID:
                messages.success(
                    request,
                    _("Bevestigd: %(amount)s is overgemaakt naar het gastgezin.")
                    % {"amount": services.euros(payout.amount_cents)},
                )
            elif payout.status == payout.Status.PENDING:
                messages.warning(
                    request,
                    _("Bevestigd. Stripe gaf nog geen antwoord; Thuisnet probeert het vanzelf opnieuw."),
                )
            else:
                messages.error(
                    request,
                    _("Stripe weigerde de overboeking: %(reason)s") % {"reason": payout.failure_reason},
                )
            return redirect("payouts:provider")
    return render(
        request,
        "payouts/confirm.html",
        {
            "booking": booking,
            "form": form,
            "rates": [(u, r) for u, r in rates.items()],
            "completed": services.stay_completed(booking),
        },
    )


@payouts_on
@login_required
def retry(request, pk: int):
    """Provider staff send a failed payout again: the cause in plain Dutch, then a confirmation."""
    payout = get_object_or_404(
        Payout.objects.select_related("booking__offer", "host", "account", "retried_by"), pk=pk
    )
    require(request.user, "payouts.retry_payout", payout)
    refusal = None
    if request.method == "POST":
        try:
            payout = services.retry_failed(payout, by=request.user)
        except services.PayoutRefused as refused:
            refusal = refused.message
            payout.refresh_from_db()  # another click may have sent it meanwhile
        else:
            amount = services.euros(payout.amount_cents)
            if payout.status == Payout.Status.PAID:
                messages.success(
                    request,
                    _("Opnieuw uitbetaald: %(amount)s is overgemaakt naar het gastgezin.")
                    % {"amount": amount},
                )
            elif payout.status == Payout.Status.PENDING:
                messages.warning(
                    request,
                    _(
                        "Opnieuw verstuurd. Stripe gaf nog geen antwoord; "
                        "Thuisnet probeert het vanzelf opnieuw."
                    ),
                )
            else:
                messages.error(
                    request,
                    _("Stripe weigerde de overboeking opnieuw: %(reason)s")
                    % {"reason": payout.failure_explanation},
                )
            return redirect("payouts:provider")
    return render(
        request,
        "payouts/retry.html",
        {
            "payout": payout,
            "refusal": refusal,
            "failures": list(payout.failures.select_related("retried_by")),
        },
        status=422 if refusal else 200,
    )


def _region(request, pk: int | None) -> Region:
    regions = selectors.managed_regions(request.user)
    region = regions.filter(pk=pk).first() if pk else regions.first()
    if region is None:
        raise PermissionDenied
    require(request.user, "payouts.manage_region", region)
    return region


@payouts_on
@login_required
def region(request, pk: int | None = None):
    region = _region(request, pk)
    rate_form = RateCardForm(request.POST or None, region=region, prefix="rate")
    if request.method == "POST" and rate_form.is_valid():
        d = rate_form.cleaned_data
        services.add_rate(
            region, unit=d["unit"], valid_from=d["valid_from"], amount_cents=int(d["amount"] * 100)
        )
        messages.success(request, _("Het tarief is opgeslagen."))
        return redirect("payouts:region_detail", pk=region.pk)
    return _region_page(request, region, rate_form=rate_form)


def _last_month() -> date:
    return (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)


def _region_page(request, region: Region, *, rate_form=None, reconcile_form=None):
    payouts = list(selectors.region_payouts(request.user, region)[:50])
    record_read(request.user, "payouts.payout", [p.pk for p in payouts], request=request)
    return render(
        request,
        "payouts/region.html",
        {
            "region": region,
            "regions": selectors.managed_regions(request.user),
            "payouts": payouts,
            "rates": selectors.rate_card(region),
            "rate_form": rate_form if rate_form is not None else RateCardForm(region=region, prefix="rate"),
            "runs": selectors.reconciliation_runs(),
            "reconcile_form": reconcile_form
            if reconcile_form is not None
            else ReconcileForm(prefix="rec", initial={"month": _last_month()}),
            "labels": services.DIFFERENCE_LABELS,
        },
    )


@payouts_on
@login_required
@require_POST
def reconcile(request, pk: int):
    region = _region(request, pk)
    form = ReconcileForm(request.POST, prefix="rec")
    if form.is_valid():
        run = services.reconcile(form.cleaned_data["month"])
        if run.status == run.Status.OK:
            messages.success(request, _("Afgestemd: Thuisnet en Stripe komen overeen."))
        elif run.status == run.Status.DIFFERENCES:
            messages.warning(request, _("Afgestemd: er zijn verschillen gevonden; zie hieronder."))
        else:
            messages.error(request, _("Stripe is nu niet bereikbaar. Probeer het later opnieuw."))
        return redirect("payouts:region_detail", pk=region.pk)
    return _region_page(request, region, reconcile_form=form)


@payouts_on
@login_required
def export(request, pk: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    region = _region(request, pk)
    qs = selectors.region_payouts(request.user, region)
    year = request.GET.get("jaar", "")
    if year.isdigit():
        qs = qs.filter(period__year=int(year))
    payouts = list(qs)
    record_read(request.user, "payouts.payout", [p.pk for p in payouts], request=request, action="export")
    stamp = date.today().isoformat()
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(payouts), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.as_xlsx(payouts),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="uitbetalingen-{region.slug}-{stamp}.{fmt}"'
    return response


@csrf_exempt
@payouts_on
@require_POST
def webhook(request):
    """Stripe's events, verified with the endpoint's signing secret before anything is read."""
    signature = request.headers.get("Stripe-Signature", "")
    if not signature or not conf.webhook_secret():
        return HttpResponseBadRequest("missing signature")
    try:
        event = gateway.verify_event(request.body, signature)
    except ValueError:
        return HttpResponseBadRequest("invalid signature")
    services.handle_event(event)
    return HttpResponse("ok")
