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
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from thuisnet.core.api import ApiError, idempotent_response
from thuisnet.core.geo import normalise_pc4

from . import services
from .forms import PHONE
from .models import EveningSession, FamilyForm, Source


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


def _evening(s: EveningSession, now) -> dict:
    page = s.page
    return {
        "id": s.pk,
        "title": page.title,
        "url": settings.BASE_URL + page.url,
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
    qs = services.upcoming_sessions(now=now).prefetch_related("page__organisers")
    if request.GET.get("region"):
        qs = qs.filter(page__region__slug=request.GET["region"])
    if request.GET.get("municipality"):
        qs = qs.filter(page__municipality__slug=request.GET["municipality"])
    if request.GET.get("mode") in ("in_person", "online"):
        qs = qs.filter(page__mode=request.GET["mode"])
    data = [_evening(s, now) for s in qs.filter(Q(cancelled_at__isnull=True) | Q(starts_at__gte=now))[:200]]
    return Response(EveningSerializer(data, many=True).data)


class RegistrationIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    email = serializers.EmailField(error_messages={"invalid": _("Vul een geldig e-mailadres in.")})
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


RegistrationOut = inline_serializer(
    "RegistrationOut",
    {
        "status": serializers.ChoiceField(choices=["confirmed", "waiting"]),
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
    parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    request=RegistrationIn,
    responses={
        201: RegistrationOut,
        200: RegistrationOut,
        404: OpenApiResponse(description="`not_found`"),
        409: OpenApiResponse(description="`deadline_passed` of `cancelled`"),
        422: OpenApiResponse(description="`invalid`: foutieve invoer per veld"),
    },
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def register(request, session_id: int):
    session = get_object_or_404(EveningSession.objects.select_related("page"), pk=session_id, page__live=True)
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
            message = _("Dit e-mailadres is al aangemeld voor deze avond.")
        elif reg.status == "confirmed":
            message = _("Aangemeld. De bevestiging is per e-mail verstuurd.")
        else:
            message = _(
                "De avond is vol: je staat op de wachtlijst. Komt er een plaats vrij, "
                "dan krijg je een e-mail."
            )
        return (201 if result.created else 200), {
            "status": reg.status,
            "duplicate": not result.created,
            "waiting_position": services.waiting_position(reg),
            "message": message,
        }

    return idempotent_response(request, "foster.register", produce)


urlpatterns = [
    path("avonden/", evenings, name="foster-evenings"),
    path("avonden/<int:session_id>/aanmeldingen/", register, name="foster-register"),
]
