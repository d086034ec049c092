"""The respite API under /api/v1/respite/: for providers' planning systems and parents' apps.

Token authentication (``Authorization: Token <key>``) or a session. Errors carry a code and a
Dutch message: 409 ``no_capacity`` / ``capacity_in_use``, 422 for working agreements and fields.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from thuisnet.accounts.models import Municipality, Organisation
from thuisnet.accounts.policies import can
from thuisnet.accounts.roles import roles_of
from thuisnet.core.api import ApiError, idempotent_response
from thuisnet.core.audit import record

from . import services
from .models import AvailabilityPattern, BlockedDate, Booking, Kind, Need, Offer, Part


def _raise(exc: services.RespiteError):
    raise ApiError(exc.status, exc.code, exc.message, **exc.extra)


# ---------------------------------------------------------------- serializers


class SlotSerializer(serializers.Serializer):
    date = serializers.DateField()
    part = serializers.ChoiceField(choices=Part.choices)
    capacity = serializers.IntegerField()
    held = serializers.IntegerField()
    free = serializers.IntegerField()


class OfferSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.name", read_only=True)
    provider_id = serializers.IntegerField(required=False, write_only=True)
    municipality = serializers.SlugRelatedField(slug_field="slug", queryset=Municipality.objects.all())
    handles = serializers.ListField(child=serializers.ChoiceField(choices=Need.choices), required=False)
    capacity = serializers.IntegerField(min_value=1, max_value=50)

    class Meta:
        model = Offer
        fields = [
            "id",
            "provider",
            "provider_id",
            "kind",
            "title",
            "description",
            "municipality",
            "postcode",
            "age_min",
            "age_max",
            "handles",
            "capacity",
            "min_notice_hours",
            "max_stay",
            "is_active",
        ]


class OfferWithFreeSerializer(OfferSerializer):
    distance_km = serializers.FloatField(read_only=True, allow_null=True)
    free = serializers.IntegerField(read_only=True)
    slots = SlotSerializer(many=True, read_only=True)

    class Meta(OfferSerializer.Meta):
        fields = [*OfferSerializer.Meta.fields, "distance_km", "free", "slots"]


class ChildSerializer(serializers.Serializer):
    ref = serializers.CharField(max_length=40)
    age = serializers.IntegerField(min_value=0, max_value=17)
    needs = serializers.ListField(
        child=serializers.ChoiceField(choices=Need.choices), required=False, default=list
    )


class BookingCreateSerializer(serializers.Serializer):
    offer = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    part = serializers.ChoiceField(choices=Part.choices, required=False, default=Part.NIGHT)
    emergency = serializers.BooleanField(required=False, default=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    child = ChildSerializer()


class BookingSerializer(serializers.ModelSerializer):
    child = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "offer",
            "status",
            "start",
            "end",
            "part",
            "units",
            "emergency",
            "age_band",
            "child",
            "decide_by",
            "reason",
            "created_at",
        ]

    @extend_schema_field(
        inline_serializer(
            "BookingChild",
            {
                "ref": serializers.CharField(),
                "age": serializers.IntegerField(allow_null=True),
                "needs": serializers.ListField(child=serializers.CharField()),
                "notes": serializers.CharField(),
            },
        )
    )
    def get_child(self, booking) -> dict | None:
        request = self.context.get("request")
        if request is None or not can(request.user, "respite.view_child", booking):
            return None
        return {
            "ref": booking.child_ref,
            "age": booking.child_age,
            "needs": booking.needs,
            "notes": booking.notes,
        }


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class BlockedDateSerializer(serializers.ModelSerializer):
    class Meta:
        model = BlockedDate
        fields = ["id", "day", "reason"]


class PatternSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    repeat = serializers.ChoiceField(choices=AvailabilityPattern.Repeat.choices)
    until = serializers.DateField(required=False, allow_null=True)


ERROR = inline_serializer(
    "RespiteError", {"code": serializers.CharField(), "message": serializers.CharField()}
)


# ---------------------------------------------------------------- offers


def _date_param(request, name: str) -> date:
    raw = request.query_params.get(name, "")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ApiError(422, "invalid", _("Geef %(n)s als JJJJ-MM-DD.") % {"n": name})


class OffersView(APIView):
    @extend_schema(
        summary="Offers with free capacity per night or day part",
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter(
                "end",
                OpenApiTypes.DATE,
                required=True,
                description="Departure day for nights; last day for day parts.",
            ),
            OpenApiParameter("age", OpenApiTypes.INT),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=Kind.values),
            OpenApiParameter("municipality", OpenApiTypes.STR, description="Municipality slug or id."),
            OpenApiParameter("postcode", OpenApiTypes.STR),
            OpenApiParameter("radius", OpenApiTypes.NUMBER),
            OpenApiParameter("needs", OpenApiTypes.STR, description="Comma-separated need codes."),
            OpenApiParameter("all", OpenApiTypes.BOOL, description="Also offers without free capacity."),
        ],
        responses={200: OfferWithFreeSerializer(many=True), 422: ERROR},
    )
    def get(self, request):
        start, end = _date_param(request, "start"), _date_param(request, "end")
        if end < start or (end - start).days > 62:
            raise ApiError(422, "invalid_dates", _("Kies een eind na het begin, hoogstens 62 dagen later."))
        p = request.query_params
        try:
            age = int(p["age"]) if p.get("age") else None
            radius = float(p["radius"]) if p.get("radius") else None
        except ValueError:
            raise ApiError(422, "invalid", _("Leeftijd en afstand zijn getallen."))
        kind = p.get("kind", "")
        if kind and kind not in Kind.values:
            raise ApiError(
                422, "invalid_kind", _("Onbekende soort: kies uit %(k)s.") % {"k": ", ".join(Kind.values)}
            )
        municipality = None
        if p.get("municipality"):
            m = p["municipality"]
            municipality = Municipality.objects.filter(
                Q(slug=m) | Q(pk=int(m) if m.isdigit() else None)
            ).first()
            if municipality is None:
                raise ApiError(422, "invalid_municipality", _("Onbekende gemeente."))
        needs = [n for n in p.get("needs", "").split(",") if n]
        q = services.Query(
            start=start,
            end=end,
            age=age,
            kind=kind,
            municipality=municipality,
            postcode=p.get("postcode", ""),
            radius_km=radius or (25 if p.get("postcode") else None),
            needs=needs,
            emergency=p.get("emergency") in ("1", "true"),
        )
        region_id = request.user.household.region_id if request.user.household_id else request.user.region_id
        hits = services.search(q, region_id=region_id, only_free=p.get("all") not in ("1", "true"))
        out = []
        for hit in hits:
            data = dict(OfferSerializer(hit.offer).data)
            data.update(
                distance_km=None if hit.distance_km is None else round(hit.distance_km, 1),
                free=hit.free,
                slots=[{**s, "date": s["date"].isoformat()} for s in hit.slots],
            )
            out.append(data)
        return Response(out)

    @extend_schema(
        summary="Create an offer (provider staff)",
        request=OfferSerializer,
        responses={201: OfferSerializer, 403: ERROR, 422: ERROR},
    )
    def post(self, request):
        s = OfferSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        r = roles_of(request.user)
        pid = d.pop("provider_id", None) or next(iter(sorted(r.provider_ids)), None)
        provider = Organisation.objects.filter(pk=pid, kind="provider").first()
        if provider is None or not can(request.user, "respite.manage_offer", provider):
            raise ApiError(
                403, "permission_denied", _("Je mag alleen aanbod van je eigen aanbieder beheren.")
            )

        def produce():
            try:
                offer = services.create_offer(provider, **d)
            except services.RespiteError as exc:
                _raise(exc)
            return 201, OfferSerializer(offer).data

        return idempotent_response(request, "respite.offer.create", produce)


def _offer_for_staff(request, pk: int, capability: str = "respite.manage_offer") -> Offer:
    offer = get_object_or_404(Offer.objects.select_related("provider"), pk=pk)
    if not can(request.user, capability, offer):
        raise ApiError(403, "permission_denied", _("Je mag alleen aanbod van je eigen aanbieder beheren."))
    return offer


class OfferDetailView(APIView):
    @extend_schema(summary="One offer", responses={200: OfferSerializer})
    def get(self, request, pk: int):
        offer = get_object_or_404(Offer.objects.select_related("provider", "municipality"), pk=pk)
        if not offer.is_active and not can(request.user, "respite.manage_offer", offer):
            raise ApiError(404, "not_found", _("Dit bestaat niet (meer)."))
        return Response(OfferSerializer(offer).data)

    @extend_schema(
        summary="Change an offer or its capacity (provider staff)",
        description="Lowering capacity below what is held answers 409 `capacity_in_use` with the "
        "bookings in the way.",
        request=OfferSerializer,
        responses={200: OfferSerializer, 409: ERROR, 422: ERROR},
    )
    def patch(self, request, pk: int):
        offer = _offer_for_staff(request, pk)
        s = OfferSerializer(offer, data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        d.pop("provider_id", None)
        if "kind" in d and d["kind"] != offer.kind:
            raise ApiError(
                422, "kind_fixed", _("De soort van een aanbod kan niet veranderen; maak een nieuw aanbod.")
            )
        d.pop("kind", None)
        capacity = d.pop("capacity", None)
        try:
            services.update_offer(offer, capacity=capacity, **d)
        except services.RespiteError as exc:
            _raise(exc)
        offer.refresh_from_db()
        return Response(OfferSerializer(offer).data)

    @extend_schema(summary="Delete an offer (hidden if it has history)", responses={204: None, 409: ERROR})
    def delete(self, request, pk: int):
        offer = _offer_for_staff(request, pk)
        try:
            services.delete_offer(offer)
        except services.RespiteError as exc:
            _raise(exc)
        return Response(status=204)


class BlockedDatesView(APIView):
    @extend_schema(summary="Blocked dates of an offer", responses={200: BlockedDateSerializer(many=True)})
    def get(self, request, pk: int):
        offer = _offer_for_staff(request, pk, "respite.manage_availability")
        return Response(BlockedDateSerializer(offer.blocked_dates.all(), many=True).data)

    @extend_schema(
        summary="Block a date",
        request=BlockedDateSerializer,
        responses={201: BlockedDateSerializer, 409: ERROR},
    )
    def post(self, request, pk: int):
        offer = _offer_for_staff(request, pk, "respite.manage_availability")
        s = BlockedDateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            blocked = services.block_date(offer, s.validated_data["day"], s.validated_data.get("reason", ""))
        except services.RespiteError as exc:
            _raise(exc)
        return Response(BlockedDateSerializer(blocked).data, status=201)


class BlockedDateDetailView(APIView):
    @extend_schema(summary="Unblock a date", responses={204: None})
    def delete(self, request, pk: int, day: str):
        offer = _offer_for_staff(request, pk, "respite.manage_availability")
        try:
            when = date.fromisoformat(day)
        except ValueError:
            raise ApiError(422, "invalid", _("Geef de datum als JJJJ-MM-DD."))
        services.unblock_date(get_object_or_404(BlockedDate, offer=offer, day=when))
        return Response(status=204)


class PatternsView(APIView):
    @extend_schema(
        summary="Recurring availability of an offer", responses={200: PatternSerializer(many=True)}
    )
    def get(self, request, pk: int):
        offer = _offer_for_staff(request, pk, "respite.manage_availability")
        return Response([_pattern(p) for p in offer.patterns.select_related("event")])

    @extend_schema(
        summary="Add availability (e.g. fortnightly Fri 17:00 – Sun 17:00)",
        request=PatternSerializer,
        responses={201: PatternSerializer, 422: ERROR},
    )
    def post(self, request, pk: int):
        offer = _offer_for_staff(request, pk, "respite.manage_availability")
        s = PatternSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        try:
            pattern = services.add_pattern(
                offer,
                start=d["start"],
                end=d["end"],
                repeat=d["repeat"],
                until=d.get("until"),
                user=request.user,
            )
        except services.RespiteError as exc:
            _raise(exc)
        return Response(_pattern(pattern), status=201)


class PatternDetailView(APIView):
    @extend_schema(summary="Remove availability", responses={204: None, 409: ERROR})
    def delete(self, request, pk: int, pattern_pk: int):
        offer = _offer_for_staff(request, pk, "respite.manage_availability")
        try:
            services.remove_pattern(get_object_or_404(AvailabilityPattern, offer=offer, pk=pattern_pk))
        except services.RespiteError as exc:
            _raise(exc)
        return Response(status=204)


def _pattern(p: AvailabilityPattern) -> dict:
    e = p.event
    until = e.end_recurring_period.astimezone(services.AMS).date() if e.end_recurring_period else None
    return {
        "id": p.pk,
        "start": e.start.astimezone(services.AMS).isoformat(),
        "end": e.end.astimezone(services.AMS).isoformat(),
        "repeat": p.repeat,
        "until": until.isoformat() if until else None,
    }


# ---------------------------------------------------------------- bookings


def _bookings_for(user):
    r = roles_of(user)
    return Booking.objects.filter(
        Q(household_id=r.household_id) | Q(offer__provider_id__in=r.provider_ids)
        if r.household_id
        else Q(offer__provider_id__in=r.provider_ids)
    )


class BookingsView(APIView):
    @extend_schema(
        summary="Your bookings (parent) or your provider's (staff)",
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=Booking.Status.values)],
        responses={200: BookingSerializer(many=True)},
    )
    def get(self, request):
        qs = _bookings_for(request.user).select_related("offer").order_by("start", "pk")
        if request.query_params.get("status"):
            qs = qs.filter(status=request.query_params["status"])
        return Response(BookingSerializer(qs[:500], many=True, context={"request": request}).data)

    @extend_schema(
        summary="Request a stay (holds capacity at once)",
        description="Send an `Idempotency-Key` header: a repeated call returns the first answer.",
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
        request=BookingCreateSerializer,
        responses={
            201: inline_serializer(
                "BookingCreated", {"id": serializers.IntegerField(), "status": serializers.CharField()}
            ),
            403: ERROR,
            409: ERROR,
            422: ERROR,
        },
    )
    def post(self, request):
        s = BookingCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        offer = Offer.objects.select_related("provider").filter(pk=d["offer"], is_active=True).first()
        if offer is None:
            raise ApiError(422, "invalid_offer", _("Dit aanbod bestaat niet of is niet beschikbaar."))
        if not can(request.user, "respite.book", offer):
            raise ApiError(
                403,
                "permission_denied",
                _(
                    "Alleen bevestigde pleeg-, steun- en gezinshuisouders uit "
                    "de regio kunnen respijtopvang aanvragen."
                ),
            )
        child = d["child"]

        def produce():
            try:
                booking = services.request_booking(
                    request.user,
                    offer,
                    start=d["start"],
                    end=d["end"],
                    part=d["part"],
                    child=services.Child(child["ref"], child["age"], child.get("needs") or []),
                    emergency=d["emergency"],
                    notes=d["notes"],
                )
            except services.RespiteError as exc:
                _raise(exc)
            return 201, {
                "id": booking.pk,
                "status": booking.status,
                "decide_by": booking.decide_by.isoformat(),
            }

        return idempotent_response(request, "respite.booking", produce)


def _booking(request, pk: int) -> Booking:
    booking = get_object_or_404(Booking.objects.select_related("offer", "offer__provider"), pk=pk)
    if not can(request.user, "respite.view_booking", booking):
        raise ApiError(404, "not_found", _("Dit bestaat niet (meer)."))
    return booking


class BookingDetailView(APIView):
    @extend_schema(summary="One booking", responses={200: BookingSerializer})
    def get(self, request, pk: int):
        booking = _booking(request, pk)
        if can(request.user, "respite.decide_booking", booking) and can(
            request.user, "respite.view_child", booking
        ):
            record(request.user, "read", "respite.booking.child", booking.pk, request=request)
        return Response(BookingSerializer(booking, context={"request": request}).data)


class BookingActionView(APIView):
    action_name = ""

    @extend_schema(request=ReasonSerializer, responses={200: BookingSerializer, 403: ERROR, 422: ERROR})
    def post(self, request, pk: int):
        booking = _booking(request, pk)
        s = ReasonSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        reason = s.validated_data["reason"]

        def produce():
            try:
                if self.action_name == "cancel" and booking.household_id == request.user.household_id:
                    done = services.cancel_by_parent(request.user, booking)
                elif not can(request.user, "respite.decide_booking", booking):
                    raise ApiError(
                        403, "permission_denied", _("Alleen de aanbieder van dit aanbod beslist hierover.")
                    )
                elif self.action_name == "accept":
                    done = services.accept(request.user, booking)
                elif self.action_name == "decline":
                    done = services.decline(request.user, booking, reason)
                else:
                    done = services.cancel_by_provider(request.user, booking, reason)
            except services.RespiteError as exc:
                _raise(exc)
            return 200, BookingSerializer(done, context={"request": request}).data

        return idempotent_response(request, f"respite.booking.{self.action_name}", produce)


def _action(name: str, summary: str):
    return extend_schema(summary=summary)(
        type(f"Booking{name.title()}View", (BookingActionView,), {"action_name": name})
    ).as_view()


urlpatterns = [
    path("respite/offers/", OffersView.as_view(), name="respite-offers"),
    path("respite/offers/<int:pk>/", OfferDetailView.as_view(), name="respite-offer"),
    path("respite/offers/<int:pk>/blocked-dates/", BlockedDatesView.as_view(), name="respite-blocked"),
    path(
        "respite/offers/<int:pk>/blocked-dates/<str:day>/",
        BlockedDateDetailView.as_view(),
        name="respite-blocked-detail",
    ),
    path("respite/offers/<int:pk>/availability/", PatternsView.as_view(), name="respite-patterns"),
    path(
        "respite/offers/<int:pk>/availability/<int:pattern_pk>/",
        PatternDetailView.as_view(),
        name="respite-pattern",
    ),
    path("respite/bookings/", BookingsView.as_view(), name="respite-bookings"),
    path("respite/bookings/<int:pk>/", BookingDetailView.as_view(), name="respite-booking"),
    path(
        "respite/bookings/<int:pk>/accept/",
        _action("accept", "Accept a request (provider)"),
        name="respite-booking-accept",
    ),
    path(
        "respite/bookings/<int:pk>/decline/",
        _action("decline", "Decline a request (provider)"),
        name="respite-booking-decline",
    ),
    path(
        "respite/bookings/<int:pk>/cancel/",
        _action("cancel", "Cancel: parent until the cut-off, provider with a reason"),
        name="respite-booking-cancel",
    ),
]
