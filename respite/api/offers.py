"""Offers: the availability search, offer details, blocked dates and availability patterns."""

from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from thuisnet.accounts.models import Organisation
from thuisnet.accounts.policies import can
from thuisnet.core.api import ApiError, idempotent_response

from .. import selectors, services
from ..models import AvailabilityPattern, BlockedDate, Kind, Offer
from .filters import OfferFilterSerializer, _query
from .serializers import (
    ERROR,
    BlockedDateSerializer,
    OfferSerializer,
    OfferWithFreeSerializer,
    PatternSerializer,
    _raise,
    search_hit_json,
)


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
