"""/api/v1/placements/: register placements, import files, and the breakdown report."""

from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from thuisnet.accounts.models import Household, Municipality, Organisation, Region
from thuisnet.accounts.policies import can, scope
from thuisnet.core import pii
from thuisnet.core.api import ApiError, idempotent_response
from thuisnet.core.audit import record, record_read

from . import services
from .models import AgeBand, EndCode, EndReason, Placement, PlacementType, Schedule


class PlacementSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    provider = serializers.SlugField(help_text="Slug van de aanbieder.")
    child_ref = serializers.CharField(max_length=40, validators=[pii.validate_child_reference])
    carer_ref = serializers.CharField(max_length=40, validators=[pii.validate_child_reference])
    placement_type = serializers.ChoiceField(choices=PlacementType.choices)
    schedule = serializers.ChoiceField(choices=Schedule.choices, default=Schedule.FULL_TIME)
    age_band = serializers.ChoiceField(choices=AgeBand.choices)
    municipality = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Slug, naam of CBS-code (GM0150)."
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    end_code = serializers.ChoiceField(choices=EndCode.choices, required=False, allow_blank=True, default="")
    end_reason = serializers.ChoiceField(
        choices=EndReason.choices, required=False, allow_blank=True, default=""
    )
    # Optional process fields (issue 17): true, false or null (not recorded).
    matching_conversation = serializers.BooleanField(required=False, allow_null=True, default=None)
    met_before_start = serializers.BooleanField(required=False, allow_null=True, default=None)
    emergency = serializers.BooleanField(required=False, allow_null=True, default=None)
    perspective_in_time = serializers.BooleanField(required=False, allow_null=True, default=None)
    carer_supported = serializers.BooleanField(required=False, allow_null=True, default=None)
    household = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Id van een van de eigen gezinnen van de aanbieder in Thuisnet (of null). Dan volgt "
        "carer_supported uit de mentoren en respijtverblijven van dat gezin.",
    )

    def validate(self, data):
        errors = services.validate_placement(data)
        if errors:
            raise serializers.ValidationError(errors)
        return data


def _placement_json(p: Placement) -> dict:
    return {
        "id": p.pk,
        "provider": p.provider.slug,
        "child_ref": p.child_ref,
        "carer_ref": p.carer_ref,
        "placement_type": p.placement_type,
        "schedule": p.schedule,
        "age_band": p.age_band,
        "municipality": p.municipality.slug if p.municipality_id else "",
        "start_date": p.start_date.isoformat(),
        "end_date": p.end_date.isoformat() if p.end_date else None,
        "end_code": p.end_code,
        "end_reason": p.end_reason,
        "matching_conversation": p.matching_conversation,
        "met_before_start": p.met_before_start,
        "emergency": p.emergency,
        "perspective_in_time": p.perspective_in_time,
        "carer_supported": p.carer_supported,
        "household": p.household_id,
    }


def _provider(user, slug: str | None, capability: str) -> Organisation:
    if not slug:
        raise ApiError(422, "provider_required", _("Geef de aanbieder op (provider)."))
    provider = Organisation.objects.filter(slug=slug, kind="provider").first()
    if provider is None:
        raise ApiError(404, "unknown_provider", _("Deze aanbieder bestaat niet."))
    if not can(user, capability, provider):
        raise ApiError(
            403, "permission_denied", _("Je mag geen plaatsingen van deze aanbieder zien of wijzigen.")
        )
    return provider


def _own_household(provider: Organisation, pk: int | None) -> Household | None:
    """One of the provider's own households, or a 422 (the same for any other id, so that the
    answer does not tell whether another provider's household exists)."""
    if pk is None:
        return None
    household = Household.objects.filter(pk=pk, provider=provider).first()
    if household is None:
        message = _("Dit is geen gezin van je eigen organisatie in Thuisnet.")
        raise ApiError(422, "invalid", message, errors={"household": [message]})
    return household


def _invalid_choice(name: str, values) -> ApiError:
    choices = ", ".join(values)
    return ApiError(
        422,
        "invalid",
        _("Onbekende waarde voor %(name)s: kies uit %(v)s.") % {"name": name, "v": choices},
        errors={name: [_("Kies uit %(v)s.") % {"v": choices}]},
    )


def _filtered(qs, request):
    """Filters of the list; an unknown value is a 422, never silently ignored."""
    ptype = request.query_params.get("type")
    if ptype:
        if ptype not in PlacementType.values:
            raise _invalid_choice("type", PlacementType.values)
        qs = qs.filter(placement_type=ptype)
    status_ = request.query_params.get("status")
    if status_:
        if status_ not in ("open", "ended"):
            raise _invalid_choice("status", ["open", "ended"])
        qs = qs.filter(end_date__isnull=status_ == "open")
    return qs


@extend_schema(
    methods=["GET"],
    parameters=[
        OpenApiParameter("provider", str, required=True),
        OpenApiParameter("type", str, enum=list(PlacementType.values)),
        OpenApiParameter("status", str, enum=["open", "ended"]),
    ],
    responses=PlacementSerializer(many=True),
    description="Plaatsingen van een aanbieder (alleen medewerkers van die aanbieder).",
)
@extend_schema(
    methods=["POST"],
    request=PlacementSerializer,
    responses=PlacementSerializer,
    description="Maak of werk een plaatsing bij; de sleutel is aanbieder, kind, "
    "gezin en startdatum. Accepteert een Idempotency-Key.",
)
@api_view(["GET", "POST"])
def placements(request):
    if request.method == "GET":
        provider = _provider(request.user, request.query_params.get("provider"), "placements.view_rows")
        qs = scope(request.user, "placements.view_rows", Placement.objects.filter(provider=provider))
        qs = _filtered(qs.select_related("provider", "municipality"), request)
        from rest_framework.pagination import LimitOffsetPagination

        pager = LimitOffsetPagination()
        page = pager.paginate_queryset(qs.order_by("pk"), request)
        # One audit row for the response, listing every placement in it.
        record_read(
            request.user,
            "placement_list",
            [p.pk for p in page],
            request=request,
            via="api",
            provider=provider.slug,
        )
        return pager.get_paginated_response([_placement_json(p) for p in page])

    ser = PlacementSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    data = dict(ser.validated_data)
    provider = _provider(request.user, data.pop("provider"), "placements.edit")
    muni = data.pop("municipality", "")
    data["municipality"] = None
    if muni:
        m = (
            Municipality.objects.filter(region=provider.region, slug=muni.lower()).first()
            or Municipality.objects.filter(region=provider.region, cbs_code__iexact=muni).first()
            or Municipality.objects.filter(region=provider.region, name__iexact=muni).first()
        )
        if m is None:
            raise ApiError(
                422,
                "invalid",
                _("Deze gemeente hoort niet bij de regio."),
                errors={"municipality": [_("Deze gemeente hoort niet bij de regio.")]},
            )
        data["municipality"] = m
    data["household"] = _own_household(provider, data.pop("household", None))

    def produce():
        p, created = services.save_placement(provider, data, user=request.user)
        return (201 if created else 200), _placement_json(p)

    response = idempotent_response(request, f"placements.save:{provider.pk}", produce)
    if response.status_code in (200, 201) and isinstance(response.data, dict) and "id" in response.data:
        # The answer shows the placement (a replay too): that is a read of its row.
        record_read(request.user, "placement", [response.data["id"]], request=request, via="api")
    return response


@extend_schema(
    request={
        "multipart/form-data": {
            "type": "object",
            "properties": {"file": {"type": "string", "format": "binary"}, "provider": {"type": "string"}},
        }
    },
    responses=OpenApiTypes.OBJECT,
    description="Lees een CSV- of XLSX-bestand in (alles of niets). 200 met aantallen, of 422 "
    "met code import_invalid en per regel de fouten.",
)
@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser])
def import_view(request):
    provider = _provider(request.user, request.data.get("provider"), "placements.edit")
    upload = request.FILES.get("file")
    if upload is None:
        raise ApiError(422, "file_required", _("Stuur een bestand mee in het veld file."))
    if upload.size > 20 * 1024 * 1024:
        raise ApiError(413, "file_too_large", _("Het bestand is groter dan 20 MB."))
    result = services.import_file(provider, upload.name, upload.read(), user=request.user)
    record(
        request.user,
        "import",
        "placement_file",
        provider.slug,
        request=request,
        via="api",
        file=upload.name,
        rows=result.rows,
        ok=result.ok,
    )
    body = result.as_dict()
    if not result.ok:
        return Response(
            {
                "code": "import_invalid",
                "message": _("Het bestand bevat fouten; er is niets opgeslagen."),
                **body,
            },
            status=422,
        )
    return Response(body, status=status.HTTP_200_OK)


def _date_param(request, name: str, default: date | None = None) -> date:
    raw = request.query_params.get(name)
    if not raw:
        if default is not None:
            return default
        raise ApiError(
            422,
            "invalid",
            _("Geef %(name)s op als JJJJ-MM-DD.") % {"name": name},
            errors={name: [_("Dit veld is verplicht.")]},
        )
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ApiError(
            422,
            "invalid",
            _("Geef %(name)s op als JJJJ-MM-DD.") % {"name": name},
            errors={name: [_("Ongeldige datum.")]},
        ) from None


@extend_schema(
    parameters=[
        OpenApiParameter("region", str, required=True),
        OpenApiParameter("cohort_start", OpenApiTypes.DATE, required=True),
        OpenApiParameter("cohort_end", OpenApiTypes.DATE, required=True),
        OpenApiParameter("as_of", OpenApiTypes.DATE),
        OpenApiParameter("provider", str),
        OpenApiParameter("type", str),
    ],
    responses=OpenApiTypes.OBJECT,
    description="Het breakdownrapport, zoals `manage.py breakdown_report --format json`. "
    "Regiocoördinatoren: hun regio; medewerkers van een aanbieder: alleen met "
    "provider = hun eigen aanbieder.",
)
@api_view(["GET"])
def report(request):
    region = get_object_or_404(Region, slug=request.query_params.get("region", ""))
    start = _date_param(request, "cohort_start")
    end = _date_param(request, "cohort_end")
    as_of = _date_param(request, "as_of", timezone.localdate())
    if end < start:
        raise ApiError(422, "invalid", _("Het einde van de cohort ligt voor het begin."))
    ptype = request.query_params.get("type") or None
    if ptype and ptype not in PlacementType.values:
        raise ApiError(
            422,
            "invalid",
            _("Onbekende soort plaatsing."),
            errors={"type": [_("Kies uit %(v)s.") % {"v": ", ".join(PlacementType.values)}]},
        )
    provider = None
    slug = request.query_params.get("provider")
    if slug:
        provider = Organisation.objects.filter(slug=slug, kind="provider", region=region).first()
        if provider is None:
            raise ApiError(404, "unknown_provider", _("Deze aanbieder hoort niet bij de regio."))
    allowed = can(request.user, "placements.manage_target", region) or (
        provider is not None and can(request.user, "placements.view_rows", provider)
    )
    if not allowed:
        raise ApiError(403, "permission_denied", _("Je mag dit rapport niet opvragen."))
    body = services.build_report(region, start, end, as_of, provider=provider, placement_type=ptype)
    if provider is None or not can(request.user, "placements.view_rows", provider):
        # A region aggregate: small counts hidden as on the dashboard (thuisnet.core.disclosure).
        from .dashboard import protect_report

        body = protect_report(body, region, start, end, as_of, provider=provider, placement_type=ptype)
    record(
        request.user,
        "read",
        "placement_report",
        region.slug,
        request=request,
        via="api",
        provider=slug or "",
        cohort_start=start.isoformat(),
        cohort_end=end.isoformat(),
    )
    return Response(body)


urlpatterns = [
    path("placements/", placements, name="placements"),
    path("placements/import/", import_view, name="placements-import"),
    path("placements/report/", report, name="placements-report"),
]
