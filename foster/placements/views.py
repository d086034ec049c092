"""Pages of the breakdown monitor: dashboard, register, import, target."""

from __future__ import annotations

import re
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thuisnet.accounts.models import Organisation, Region
from thuisnet.accounts.policies import can, require, scope
from thuisnet.core.audit import record, record_read

from . import dashboard, services
from .forms import ImportForm, PlacementForm, ReportFilterForm, TargetForm, default_cohort
from .models import Placement, Target


def _region_for(user) -> Region | None:
    """The region whose monitor the user sees: one they set targets for (coordinators), else
    one whose report they may see (staff: their provider's region)."""
    regions = Region.objects.order_by("pk")
    return (
        scope(user, "placements.manage_target", regions).first()
        or scope(user, "placements.view_report", regions).first()
    )


def _own_providers(user, capability: str = "placements.view_rows"):
    return scope(user, capability, Organisation.objects.filter(kind="provider")).order_by("name")


@login_required
def dashboard_view(request):
    region = _region_for(request.user)
    if region is None:
        raise PermissionDenied("placements.view_report")
    require(request.user, "placements.view_report", region)
    form = ReportFilterForm(request.GET or None)
    target = services.target_for(region)
    start, end = (target.cohort_start, target.cohort_end) if target else default_cohort()
    as_of = timezone.localdate()
    ptype = None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["cohort_start"] or start
        end = form.cleaned_data["cohort_end"] or end
        as_of = form.cleaned_data["as_of"] or as_of
        ptype = form.cleaned_data["type"] or None
    if not form.is_bound:
        form = ReportFilterForm(initial={"cohort_start": start, "cohort_end": end, "as_of": as_of})
    own = _own_providers(request.user).filter(region=region).first()
    data = data_key = None
    if not form.errors:
        filters = {"cohort_start": start, "cohort_end": end, "as_of": as_of, "placement_type": ptype}
        data_key = dashboard.cache_key(region, own_provider=own, **filters)
        data = dashboard.cached_build(region, own_provider=own, key=data_key, **filters)
        record(
            request.user,
            "read",
            "placement_report",
            region.slug,
            request=request,
            cohort_start=start.isoformat(),
            cohort_end=end.isoformat(),
            as_of=as_of.isoformat(),
            type=ptype or "",
            provider=own.slug if own else "",
        )
    return render(
        request,
        "placements/dashboard.html",
        {
            "region": region,
            "form": form,
            "data": data,
            # The rendered figures are kept with the data (same key): the page's biggest cost.
            "data_key": data_key,
            "cache_seconds": dashboard.CACHE_SECONDS,
            "own": own,
            "cohort_start": start,
            "cohort_end": end,
            "as_of": as_of,
            "may_edit_target": can(request.user, "placements.manage_target", region),
            "may_register": can(request.user, "placements.edit"),
        },
    )


@login_required
def register_view(request):
    require(request.user, "placements.view_rows")
    providers = _own_providers(request.user)
    qs = scope(request.user, "placements.view_rows", Placement.objects.all()).select_related(
        "provider", "municipality"
    )
    status = request.GET.get("status", "")
    if status == "open":
        qs = qs.filter(end_date__isnull=True)
    elif status == "ended":
        qs = qs.filter(end_date__isnull=False)
    ref = request.GET.get("ref", "").strip()
    if ref:
        qs = qs.filter(Q(child_ref__icontains=ref) | Q(carer_ref__icontains=ref))
    page = Paginator(qs.order_by("-start_date", "pk"), 50).get_page(request.GET.get("page"))
    # One audit row for the request, listing every placement shown on this page.
    record_read(
        request.user,
        "placement_list",
        [p.pk for p in page.object_list],
        request=request,
        page=page.number,
        status=status,
        ref=ref,
    )
    return render(
        request,
        "placements/register.html",
        {
            "page": page,
            "status": status,
            "ref": ref,
            "providers": providers,
        },
    )


def _provider_for_new(request) -> Organisation:
    providers = _own_providers(request.user, "placements.edit")
    slug = request.GET.get("aanbieder") or request.POST.get("aanbieder")
    provider = providers.filter(slug=slug).first() if slug else providers.first()
    if provider is None:
        raise PermissionDenied("placements.edit")
    require(request.user, "placements.edit", provider)
    return provider


@login_required
def placement_create(request):
    provider = _provider_for_new(request)
    form = PlacementForm(request.POST or None, provider=provider)
    if request.method == "POST" and form.is_valid():
        placement, _created = services.save_placement(provider, form.cleaned_data, user=request.user)
        messages.success(request, _("De plaatsing is opgeslagen."))
        return redirect("placements:register")
    return render(
        request, "placements/placement_form.html", {"form": form, "provider": provider, "placement": None}
    )


@login_required
def placement_edit(request, pk: int):
    placement = get_object_or_404(Placement.objects.select_related("provider"), pk=pk)
    require(request.user, "placements.edit", placement)
    record_read(request.user, "placement", [placement.pk], request=request)
    form = PlacementForm(request.POST or None, instance=placement, provider=placement.provider)
    if request.method == "POST" and form.is_valid():
        data = {
            k: v for k, v in form.cleaned_data.items() if k not in ("child_ref", "carer_ref", "start_date")
        }
        services.save_placement(placement.provider, data, instance=placement, user=request.user)
        record(request.user, "update", "placement", str(placement.pk), request=request)
        messages.success(request, _("De plaatsing is bijgewerkt."))
        return redirect("placements:register")
    return render(
        request,
        "placements/placement_form.html",
        {"form": form, "provider": placement.provider, "placement": placement},
    )


@login_required
def import_view(request):
    require(request.user, "placements.edit")
    providers = _own_providers(request.user, "placements.edit")
    form = ImportForm(request.POST or None, request.FILES or None, providers=providers)
    result = None
    if request.method == "POST" and form.is_valid():
        provider = form.cleaned_data["provider"]
        require(request.user, "placements.edit", provider)
        upload = form.cleaned_data["file"]
        result = services.import_file(
            provider,
            upload.name,
            upload.read(),
            user=request.user,
            progress=_progress_writer(request.user, request.POST.get("progress_token", "")),
        )
        record(
            request.user,
            "import",
            "placement_file",
            provider.slug,
            request=request,
            file=upload.name,
            rows=result.rows,
            ok=result.ok,
        )
        if result.ok:
            messages.success(
                request,
                _("Ingelezen: %(created)s nieuw, %(updated)s bijgewerkt, %(unchanged)s ongewijzigd.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            )
    return render(request, "placements/import.html", {"form": form, "result": result, "columns": COLUMN_SPEC})


_TOKEN = re.compile(r"^[0-9a-f]{32}$")
PROGRESS_SECONDS = 600


def _progress_key(user, token: str) -> str:
    # The user's id is part of the key: nobody reads another person's upload progress.
    return f"placements:import-progress:{user.pk}:{token}"


def _progress_writer(user, token: str):
    """A ``progress`` callback for ``services.import_file`` that keeps the latest state in the
    shared cache for :func:`import_progress_view`; None without a valid token (no script)."""
    if not _TOKEN.match(token):
        return None
    from django.core.cache import cache

    key = _progress_key(user, token)

    def write(stage: str, done: int, total: int) -> None:
        cache.set(key, {"stage": stage, "done": done, "total": total}, PROGRESS_SECONDS)

    return write


@login_required
def import_progress_view(request, token: str):
    """How far the server is with checking an upload: ``{"stage", "done", "total"}``, polled
    by import.js while the upload is being checked; ``{"stage": "unknown"}`` before it starts
    (or when the token is not the user's)."""
    from django.core.cache import cache
    from django.http import JsonResponse

    require(request.user, "placements.edit")
    if not _TOKEN.match(token):
        raise Http404
    state = cache.get(_progress_key(request.user, token)) or {"stage": "unknown", "done": 0, "total": 0}
    response = JsonResponse(state)
    response["Cache-Control"] = "no-store"
    return response


COLUMN_SPEC = [
    (
        "kind_ref",
        True,
        "K-2025-0012",
        gettext_lazy(
            "Pseudoniem van het kind, uniek binnen je organisatie. Nooit naam, geboortedatum of BSN. "
            "Regels waarvan kind_ref begint met VOORBEELD zijn voorbeelden: ze worden gecontroleerd "
            "maar nooit opgeslagen."
        ),
    ),
    ("gezin_ref", True, "G-0345", gettext_lazy("Pseudoniem van het pleeggezin of gezinshuis.")),
    ("soort", True, "regulier", gettext_lazy("regulier, netwerk, gezinshuis, crisis of respijt.")),
    ("voltijd_deeltijd", False, "voltijd", gettext_lazy("voltijd (standaard) of deeltijd.")),
    ("leeftijd_start", True, "8-11", gettext_lazy("0-3, 4-7, 8-11, 12-15, 16-17 of 18+.")),
    ("gemeente", False, "Deventer", gettext_lazy("Naam of CBS-code (GM0150) van de gemeente in de regio.")),
    ("startdatum", True, "2025-03-01", gettext_lazy("JJJJ-MM-DD of DD-MM-JJJJ.")),
    ("einddatum", False, "2025-11-14", gettext_lazy("Leeg zolang de plaatsing loopt.")),
    ("reden_code", False, "03", gettext_lazy("CBS-code 01 tot en met 05; alleen met een einddatum.")),
    (
        "reden_toelichting",
        False,
        "gedrag_kind",
        gettext_lazy(
            "doel_bereikt, terug_naar_ouders, 18_jaar, geplande_overstap, verzoek_gezin, gedrag_kind, "
            "wens_kind, wens_ouders, melding, omstandigheden_gezin, matching, besluit_rechter, "
            "verhuisd_buiten_regio, anders."
        ),
    ),
    *(
        (col, False, "ja", gettext_lazy("ja of nee; leeg als het niet is vastgelegd."))
        for col in (
            "matchingsgesprek",
            "kennismaking_voor_start",
            "spoedplaatsing",
            "perspectief_op_tijd",
            "gezin_ondersteund",
        )
    ),
    (
        "gezin_id",
        False,
        "1234",
        gettext_lazy(
            "Nummer van een van je eigen gezinnen in Thuisnet (zie 'Gezin in Thuisnet' bij een "
            "plaatsing in het register). Dan volgt gezin_ondersteund uit de mentoren en "
            "respijtverblijven van dat gezin. Leeg: geen koppeling. Zonder deze kolom blijven "
            "bestaande koppelingen staan."
        ),
    ),
]


@login_required
def template_download(request, fmt: str):
    require(request.user, "placements.edit")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "xlsx":
        resp = HttpResponse(
            services.template_xlsx(),
            content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
    else:
        resp = HttpResponse(services.template_csv(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="plaatsingen-sjabloon.{fmt}"'
    return resp


@login_required
def target_view(request):
    region = _region_for(request.user)
    if region is None:
        raise PermissionDenied("placements.manage_target")
    require(request.user, "placements.manage_target", region)
    target = Target.objects.filter(region=region).first()
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        services.set_target(
            region,
            cohort_start=form.cleaned_data["cohort_start"],
            cohort_end=form.cleaned_data["cohort_end"],
            horizon_months=form.cleaned_data["horizon_months"],
            max_share=(form.cleaned_data["max_percentage"] / Decimal(100)).quantize(Decimal("0.001")),
            instance=target,
        )
        messages.success(request, _("Het doel is opgeslagen."))
        return redirect("placements:dashboard")
    return render(request, "placements/target_form.html", {"form": form, "region": region})


@login_required
def feasibility_view(request):
    """Haalbare ambitie: the region's history, power per candidate target, and adoption."""
    from . import feasibility
    from .forms import AdoptTargetForm

    region = _region_for(request.user)
    if region is None:
        raise PermissionDenied("placements.manage_target")
    require(request.user, "placements.manage_target", region)
    as_of = timezone.localdate()
    assessment = feasibility.assess(region, as_of)
    choices = [(f"{c.share:.3f}", dashboard.pct(c.share)) for c in assessment.candidates]
    if assessment.proposal and all(f"{assessment.proposal.share:.3f}" != k for k, _l in choices):
        choices.append((f"{assessment.proposal.share:.3f}", dashboard.pct(assessment.proposal.share)))
    initial = f"{assessment.proposal.share:.3f}" if assessment.proposal else None
    form = AdoptTargetForm(request.POST or None, choices=choices, initial_share=initial)
    if request.method == "POST" and form.is_valid():
        target = services.adopt_target(
            region,
            assessment,
            share=form.cleaned_data["share"],
            note=form.cleaned_data["note"],
            user=request.user,
        )
        record(request.user, "update", "placement_target", str(target.pk), request=request, adopted=True)
        messages.success(request, _("De ambitie is vastgesteld."))
        return redirect("placements:dashboard")
    adopted = Target.objects.filter(region=region, adopted_at__isnull=False).order_by("-adopted_at").first()
    return render(
        request,
        "placements/feasibility.html",
        {
            "region": region,
            "a": assessment,
            "form": form,
            "pct": dashboard.pct,
            "published": feasibility.PUBLISHED,
            "adopted": adopted,
            "estimate": dashboard.pct(assessment.baseline.estimate) if assessment.baseline else "",
            "interval": (
                f"{dashboard.pct(assessment.baseline.ci_low)} – {dashboard.pct(assessment.baseline.ci_high)}"
                if assessment.baseline
                else ""
            ),
            "smallest": (
                _("%(points)s procentpunt")
                % {"points": f"{assessment.smallest_detectable * 100:.1f}".replace(".", ",")}
                if assessment.smallest_detectable is not None
                else ""
            ),
            "proposal_text": dashboard.pct(assessment.proposal.share) if assessment.proposal else "",
            "rows": [
                {
                    "share": dashboard.pct(c.share),
                    "reduction": f"{round(c.reduction * 100)}%",
                    "power": f"{round(c.power * 100)}%",
                    "measurable": c.measurable,
                    "meaningful": c.meaningful,
                    "proposed": assessment.proposal is not None and c.share == assessment.proposal.share,
                }
                for c in assessment.candidates
            ],
        },
    )
