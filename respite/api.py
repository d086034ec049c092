"""The respite API under /api/v1/respite/: for providers' planning systems and parents' apps.

Token authentication (``Authorization: Token <key>``) or a session. Errors carry a code and a
Dutch message: 409 ``no_capacity`` / ``capacity_in_use``, 422 for working agreements and fields.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, re_path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from thuisnet.accounts.models import Municipality, Organisation
from thuisnet.accounts.policies import can
from thuisnet.core import pii
from thuisnet.core.api import ApiError, idempotent_response

from . import selectors, services
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


def search_hit_json(hit: services.Hit) -> dict:
    """One search hit as ``OfferWithFreeSerializer`` renders it, built directly: serialising
    hundreds of hits field by field was most of the search's time."""
    offer = hit.offer
    return {
        "id": offer.pk,
        "provider": offer.provider.name,
        "kind": offer.kind,
        "title": offer.title,
        "description": offer.description,
        "municipality": offer.municipality.slug,
        "postcode": offer.postcode,
        "age_min": offer.age_min,
        "age_max": offer.age_max,
        "handles": list(offer.handles),
        "capacity": offer.capacity,
        "min_notice_hours": offer.min_notice_hours,
        "max_stay": offer.max_stay,
        "is_active": offer.is_active,
        "distance_km": None if hit.distance_km is None else round(hit.distance_km, 1),
        "free": hit.free,
        "slots": [{**s, "date": s["date"].isoformat()} for s in hit.slots],
    }


class ChildSerializer(serializers.Serializer):
    ref = serializers.CharField(max_length=40, validators=[pii.validate_child_reference])
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
    notes = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=1000,
        validators=[pii.validate_no_identifiers],
    )
    contact_phone = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=30,
        help_text="The parent's phone for the provider; shown from acceptance until 30 days after the stay.",
    )
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
        # Lists pass the ids the policy's scope allows (one query); single bookings ask can().
        visible = self.context.get("child_ids")
        request = self.context.get("request")
        if visible is not None:
            allowed = booking.pk in visible
        else:
            allowed = request is not None and can(request.user, "respite.view_child", booking)
        if not allowed:
            return None
        return {
            "ref": booking.child_ref,
            "age": booking.child_age,
            "needs": booking.needs,
            "notes": booking.notes,
        }


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=1000,
        validators=[pii.validate_no_identifiers],
    )


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


class CommaChoicesField(serializers.ListField):
    """A query parameter like ``needs=lvb,autism``: each value must be one of the choices."""

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) == 1 and isinstance(data[0], str):
            data = data[0]
        if isinstance(data, str):
            data = [n for n in data.split(",") if n]
        return super().to_internal_value(data)


class OfferFilterSerializer(serializers.Serializer):
    """The query of ``GET /respite/offers/``: unknown values answer 422, never a silent miss."""

    start = serializers.DateField()
    end = serializers.DateField()
    age = serializers.IntegerField(required=False, min_value=0, max_value=17)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    municipality = serializers.CharField(required=False)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=7)
    radius = serializers.FloatField(required=False, min_value=0, max_value=200)
    needs = CommaChoicesField(child=serializers.ChoiceField(choices=Need.choices), required=False)
    emergency = serializers.BooleanField(required=False, default=False)
    all = serializers.BooleanField(required=False, default=False)

    def validate_municipality(self, value: str) -> Municipality:
        found = Municipality.objects.filter(
            Q(slug=value) | Q(pk=int(value) if value.isdigit() else None)
        ).first()
        if found is None:
            raise serializers.ValidationError(_("Onbekende gemeente."))
        return found

    def validate(self, data):
        if data["end"] < data["start"] or (data["end"] - data["start"]).days > 62:
            raise serializers.ValidationError(
                {"end": [_("Kies een eind na het begin, hoogstens 62 dagen later.")]}
            )
        return data


class BookingFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Booking.Status.choices, required=False)


def _query(serializer_class, request) -> dict:
    """Validate query parameters; a wrong value answers 422 with the standard error body."""
    data = {k: (v if len(v) > 1 else v[0]) for k, v in request.query_params.lists()}
    s = serializer_class(data=data)
    s.is_valid(raise_exception=True)
    return s.validated_data


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
        d = _query(OfferFilterSerializer, request)
        postcode = d.get("postcode", "")
        q = services.Query(
            start=d["start"],
            end=d["end"],
            age=d.get("age"),
            kind=d.get("kind", ""),
            municipality=d.get("municipality"),
            postcode=postcode,
            radius_km=d.get("radius") or (25 if postcode else None),
            needs=d.get("needs") or [],
            emergency=d["emergency"],
        )
        hits = selectors.search(request.user, q, only_free=not d["all"])
        return Response([search_hit_json(hit) for hit in hits])

    @extend_schema(
        summary="Create an offer (provider staff)",
        request=OfferSerializer,
        responses={201: OfferSerializer, 403: ERROR, 422: ERROR},
    )
    def post(self, request):
        s = OfferSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        pid = d.pop("provider_id", None)
        providers = selectors.acting_providers(request.user).order_by("pk")
        provider = Organisation.objects.filter(pk=pid, kind="provider").first() if pid else providers.first()
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
        if not can(request.user, "respite.view_offer", offer):
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


class BookingsView(APIView):
    @extend_schema(
        summary="Your bookings (parent), your provider's (staff) or your hosted offers' (host family)",
        description="Child details appear where the policy allows; each response that shows "
        "another household's child writes one audit row listing the bookings.",
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=Booking.Status.values)],
        responses={200: BookingSerializer(many=True), 422: ERROR},
    )
    def get(self, request):
        d = _query(BookingFilterSerializer, request)
        bookings = list(selectors.api_bookings(request.user, d.get("status", ""))[:500])
        child_ids = selectors.child_visible_ids(request.user, bookings)
        data = BookingSerializer(
            bookings, many=True, context={"request": request, "child_ids": child_ids}
        ).data
        selectors.audit_child_reads(request, bookings, child_ids)
        return Response(data)

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
        offer = (
            Offer.objects.select_related("provider", "municipality")
            .filter(pk=d["offer"], is_active=True)
            .first()
        )
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
                    contact_phone=d["contact_phone"],
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
        data = BookingSerializer(booking, context={"request": request}).data
        if data["child"] is not None:
            selectors.audit_child_reads(request, [booking], [booking.pk])
        return Response(data)


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

        response = idempotent_response(request, f"respite.booking.{self.action_name}", produce)
        if isinstance(response.data, dict) and response.data.get("child"):
            # The answer shows the child (accept does): a read like any other, replays too.
            selectors.audit_child_reads(request, [booking], [booking.pk])
        return response


def _action(name: str, summary: str):
    return extend_schema(summary=summary)(
        type(f"Booking{name.title()}View", (BookingActionView,), {"action_name": name})
    ).as_view()


def not_found(request, *args, **kwargs):
    """Anything else under /respite/ (``bookings/abc/``): a JSON 404, not an HTML page."""
    return JsonResponse({"code": "not_found", "message": _("Dit bestaat niet (meer).")}, status=404)


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
    re_path(r"^respite/", not_found),
]
