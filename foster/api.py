"""Public API for providers' own websites: upcoming evenings (read) and registration (create)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from thuisnet.core.api import ApiError, idempotent_response
from thuisnet.core.geo import normalise_pc4
from thuisnet.core.ratelimit import public_form_throttle

from . import services
from .forms import PHONE
from .models import EveningSession, FamilyForm, Mode, Source


class EveningSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Id van de bijeenkomst (voor het aanmelden).")
    title = serializers.CharField()
    url = serializers.CharField(help_text="Volledige URL van de avondpagina.")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    mode = serializers.ChoiceField(choices=["in_person", "online"])
    venue = serializers.CharField()
    address = serializers.CharField()
    municipality = serializers.CharField(allow_null=True)
    family_forms = serializers.ListField(child=serializers.ChoiceField(FamilyForm.values))
    organisers = serializers.ListField(child=serializers.CharField())
    places_left = serializers.IntegerField()
    registration_open = serializers.BooleanField()
    registration_deadline = serializers.DateTimeField()
    cancelled = serializers.BooleanField()


def _evening(s: EveningSession, now, request=None) -> dict:
    page = s.page
    return {
        "id": s.pk,
        "title": page.title,
        # With the request, Wagtail resolves the site once per request, not once per row.
        "url": settings.BASE_URL + (page.get_url(request=request) or ""),
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "mode": page.mode,
        "venue": page.venue,
        "address": page.address,
        "municipality": page.municipality.name if page.municipality else None,
        "family_forms": page.family_forms,
        "organisers": [o.name for o in page.organisers.all()],
        "places_left": s.free,
        "registration_open": s.registration_open(now),
        "registration_deadline": s.deadline,
        "cancelled": bool(s.cancelled_at),
    }


@extend_schema(
    tags=["avonden"],
    summary="Komende informatieavonden",
    description="Openbaar. Komende bijeenkomsten van alle gepubliceerde informatieavonden, "
    "oudste eerst. Filter met `region` (slug), `municipality` (slug) of `mode`.",
    parameters=[
        OpenApiParameter("region", str),
        OpenApiParameter("municipality", str),
        OpenApiParameter("mode", str, enum=["in_person", "online"]),
    ],
    responses=EveningSerializer(many=True),
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def evenings(request):
    now = timezone.now()
    qs = (
        services.upcoming_sessions(now=now)
        .select_related("page", "page__municipality")
        .prefetch_related("page__organisers")
    )
    if request.GET.get("region"):
        qs = qs.filter(page__region__slug=request.GET["region"])
    if request.GET.get("municipality"):
        qs = qs.filter(page__municipality__slug=request.GET["municipality"])
    mode = request.GET.get("mode")
    if mode:
        if mode not in Mode.values:
            raise ApiError(
                422,
                "invalid",
                _("Onbekende vorm: kies uit %(v)s.") % {"v": ", ".join(Mode.values)},
                errors={"mode": [_("Kies uit %(v)s.") % {"v": ", ".join(Mode.values)}]},
            )
        qs = qs.filter(page__mode=mode)
    data = [
        _evening(s, now, request)
        for s in qs.filter(Q(cancelled_at__isnull=True) | Q(starts_at__gte=now))[:200]
    ]
    return Response(EveningSerializer(data, many=True).data)


class RegistrationIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    # 254 is the column's length (RFC 5321): longer addresses answer 422, never a 500.
    email = serializers.EmailField(
        max_length=254,
        error_messages={
            "invalid": _("Vul een geldig e-mailadres in."),
            "max_length": _("Een e-mailadres is hoogstens 254 tekens lang."),
        },
    )
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=7)
    attendees = serializers.ChoiceField(choices=[1, 2], default=1)
    interests = serializers.ListField(child=serializers.ChoiceField(choices=FamilyForm.choices), min_length=1)
    source = serializers.ChoiceField(choices=Source.values, default=Source.WEBSITE)
    consent = serializers.BooleanField(help_text="Moet true zijn: de bezoeker stemt in met de bewaartermijn.")

    def validate_postcode(self, value):
        pc4 = normalise_pc4(value)
        if not pc4:
            raise serializers.ValidationError(_("Vul een postcode in van 4 cijfers, bijvoorbeeld 7411."))
        return pc4

    def validate_phone(self, value):
        if value and not PHONE.match(value.strip()):
            raise serializers.ValidationError(_("Vul een geldig telefoonnummer in."))
        return value.strip()

    def validate_consent(self, value):
        if not value:
            raise serializers.ValidationError(_("Zonder toestemming kan de aanmelding niet."))
        return value


def _row_id(raw: str) -> int | None:
    """A database id from a URL segment, or None: only ASCII digits, within a BIGINT (a
    longer number overflowed the database driver and answered 500)."""
    if not (raw.isascii() and raw.isdecimal()) or len(raw) > 18:
        return None
    return int(raw)


RegistrationOut = inline_serializer(
    "RegistrationOut",
    {
        "status": serializers.ChoiceField(choices=["confirmed", "waiting"], allow_null=True),
        "duplicate": serializers.BooleanField(),
        "waiting_position": serializers.IntegerField(allow_null=True),
        "message": serializers.CharField(),
    },
)


@extend_schema(
    tags=["avonden"],
    summary="Aanmelden voor een informatieavond",
    description="Openbaar. Meldt een bezoeker aan; is de avond vol, dan komt die op de "
    "wachtlijst (`status: waiting`). Dezelfde e-mail nog eens geeft de bestaande "
    "aanmelding (`duplicate: true`, 200). De bezoeker krijgt een bevestiging met "
    ".ics en persoonlijke link per e-mail. Stuur een `Idempotency-Key` mee om "
    "dubbel versturen veilig te maken.",
    parameters=[
        OpenApiParameter("session_id", int, OpenApiParameter.PATH),
        OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER),
    ],
    request=RegistrationIn,
    responses={
        201: RegistrationOut,
        200: RegistrationOut,
        404: OpenApiResponse(description="`not_found`"),
        409: OpenApiResponse(
            description="`deadline_passed`, `cancelled`, `invitation_only` (een bedankavond of "
            "andere avond op uitnodiging: aanmelden gaat alleen via de persoonlijke link uit de "
            "uitnodiging) of `account_required` (een thema-avond voor ouders: aanmelden met je "
            "account, niet via deze openbare API)"
        ),
        422: OpenApiResponse(description="`invalid`: foutieve invoer per veld"),
    },
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([public_form_throttle("foster.register")])
def register(request, session_id: str):
    # The URL takes any text so that "abc" answers this API's JSON 404, not the site's
    # HTML catch-all (which answered 403 on a POST without a CSRF token).
    pk = _row_id(session_id)
    if pk is None:
        raise ApiError(404, "not_found", _("Deze bijeenkomst bestaat niet."))
    session = get_object_or_404(EveningSession.objects.select_related("page"), pk=pk, page__live=True)
    data_in = RegistrationIn(data=request.data)
    data_in.is_valid(raise_exception=True)
    d = data_in.validated_data

    def produce():
        try:
            result = services.register(
                session,
                services.RegistrationData(
                    name=d["name"],
                    email=d["email"],
                    phone=d["phone"],
                    postcode=d["postcode"],
                    attendees=int(d["attendees"]),
                    interests=d["interests"],
                    source=d["source"],
                ),
            )
        except services.RegistrationError as exc:
            raise ApiError(404 if exc.code == "not_found" else 409, exc.code, exc.message)
        reg = result.registration
        if not result.created:
            # Anyone can post any address: never tell them the existing registration's
            # status or place on the waiting list. Its owner has both behind the personal link.
            return 200, {
                "status": None,
                "duplicate": True,
                "waiting_position": None,
                "message": _(
                    "Dit e-mailadres is al aangemeld voor deze avond. De persoonlijke link staat "
                    "in de bevestigingsmail."
                ),
            }
        if reg.status == "confirmed":
            message = _("Aangemeld. De bevestiging is per e-mail verstuurd.")
        else:
            message = _(
                "De avond is vol: je staat op de wachtlijst. Komt er een plaats vrij, "
                "dan krijg je een e-mail."
            )
        return 201, {
            "status": reg.status,
            "duplicate": False,
            "waiting_position": services.waiting_position(reg),
            "message": message,
        }

    return idempotent_response(request, "foster.register", produce)


urlpatterns = [
    path("avonden/", evenings, name="foster-evenings"),
    path("avonden/<str:session_id>/aanmeldingen/", register, name="foster-register"),
]
