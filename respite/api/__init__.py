"""The respite API under /api/v1/respite/: for providers' planning systems and parents' apps.

Token authentication (``Authorization: Token <key>``) or a session. Errors carry a code and a
Dutch message: 409 ``no_capacity`` / ``capacity_in_use``, 422 for working agreements and fields.

The package keeps ``urlpatterns`` (included by ``thuisnet.api``) and re-exports every public name:
``serializers`` (the serializers and ``search_hit_json``), ``filters`` (query parameters),
``offers`` (search, offers, blocked dates, availability) and ``bookings``.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _

from .bookings import BookingActionView, BookingDetailView, BookingsView, _action, _booking
from .filters import BookingFilterSerializer, CommaChoicesField, OfferFilterSerializer, _query
from .offers import (
    BlockedDateDetailView,
    BlockedDatesView,
    OfferDetailView,
    OffersView,
    PatternDetailView,
    PatternsView,
    _offer_for_staff,
    _pattern,
)
from .serializers import (
    ERROR,
    BlockedDateSerializer,
    BookingCreateSerializer,
    BookingSerializer,
    ChildSerializer,
    OfferSerializer,
    OfferWithFreeSerializer,
    PatternSerializer,
    ReasonSerializer,
    SlotSerializer,
    _raise,
    search_hit_json,
)


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

__all__ = [
    "BlockedDateDetailView",
    "BlockedDateSerializer",
    "BlockedDatesView",
    "BookingActionView",
    "BookingCreateSerializer",
    "BookingDetailView",
    "BookingFilterSerializer",
    "BookingSerializer",
    "BookingsView",
    "ChildSerializer",
    "CommaChoicesField",
    "ERROR",
    "OfferDetailView",
    "OfferFilterSerializer",
    "OfferSerializer",
    "OfferWithFreeSerializer",
    "OffersView",
    "PatternDetailView",
    "PatternSerializer",
    "PatternsView",
    "ReasonSerializer",
    "SlotSerializer",
    "_action",
    "_booking",
    "_offer_for_staff",
    "_pattern",
    "_query",
    "_raise",
    "not_found",
    "search_hit_json",
    "urlpatterns",
]
