"""Bookings: requests, the list, one booking, and the provider's actions."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from thuisnet.accounts.policies import can
from thuisnet.core.api import ApiError, idempotent_response

from .. import selectors, services
from ..models import Booking, Offer
from .filters import BookingFilterSerializer, _query
from .serializers import ERROR, BookingCreateSerializer, BookingSerializer, ReasonSerializer, _raise


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
