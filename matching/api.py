"""The matching API under /api/v1/matching/: providers' systems refer starting parents for a
mentor and read the pairing status of their own families.

Token authentication or a session. Errors carry ``{"code", "message"}``; POST accepts an
``Idempotency-Key``. A provider sees only households it is the provider of (policy
``matching.refer_mentee`` and its scope); the mentor's identity is not exposed here.
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from thuisnet.accounts.models import FamilyForm, Household
from thuisnet.accounts.policies import can, scope
from thuisnet.core.api import ApiError, idempotent_response

from . import services
from .models import AgeBand, Availability, Language, Mentee, Need, Pairing

ERROR = inline_serializer(
    "MatchingError", {"code": serializers.CharField(), "message": serializers.CharField()}
)


class PairingStatusSerializer(serializers.ModelSerializer):
    both_accepted = serializers.BooleanField(read_only=True)

    class Meta:
        model = Pairing
        fields = [
            "id",
            "status",
            "created_at",
            "both_accepted",
            "trial_ends_on",
            "trial_passed",
            "ended_at",
            "ended_early",
        ]


class MenteeSerializer(serializers.ModelSerializer):
    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.all())
    family_forms = serializers.ListField(
        child=serializers.ChoiceField(choices=FamilyForm.choices), required=False
    )
    age_bands = serializers.ListField(child=serializers.ChoiceField(choices=AgeBand.choices), required=False)
    needs = serializers.ListField(child=serializers.ChoiceField(choices=Need.choices), required=False)
    languages = serializers.ListField(child=serializers.ChoiceField(choices=Language.choices), required=False)
    availability = serializers.ListField(
        child=serializers.ChoiceField(choices=Availability.choices), required=False
    )
    max_travel_km = serializers.IntegerField(min_value=1, max_value=100, required=False)
    pairing = serializers.SerializerMethodField()

    class Meta:
        model = Mentee
        fields = [
            "id",
            "household",
            "external_ref",
            "status",
            "asked_at",
            "last_reason",
            "family_forms",
            "age_bands",
            "needs",
            "languages",
            "availability",
            "max_travel_km",
            "same_village_ok",
            "pairing",
        ]
        read_only_fields = ["status", "asked_at", "last_reason"]
        # A second referral of a waiting household answers 200 with that one (refer_mentee),
        # not the model's uniqueness error.
        validators: list = []

    @extend_schema_field(PairingStatusSerializer(allow_null=True))
    def get_pairing(self, obj) -> dict | None:
        latest = max(obj.pairings.all(), key=lambda p: p.created_at, default=None)
        return PairingStatusSerializer(latest).data if latest else None


def _own_mentees(request):
    households = scope(request.user, "matching.refer_mentee", Household.objects.all())
    return Mentee.objects.filter(household__in=households).prefetch_related("pairings").order_by("pk")


class MenteesView(APIView):
    @extend_schema(
        summary="Your families' mentor requests with their pairing status",
        responses={200: MenteeSerializer(many=True)},
    )
    def get(self, request):
        return Response(MenteeSerializer(_own_mentees(request), many=True).data)

    @extend_schema(
        summary="Refer a household of yours for a mentor (Idempotency-Key accepted)",
        request=MenteeSerializer,
        responses={201: MenteeSerializer, 200: MenteeSerializer, 403: ERROR, 422: ERROR},
    )
    def post(self, request):
        s = MenteeSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        household = data.pop("household")
        if not can(request.user, "matching.refer_mentee", household):
            raise ApiError(
                403, "permission_denied", _("Je mag alleen gezinnen van je eigen aanbieder aanmelden.")
            )

        def produce():
            mentee, created = services.refer_mentee(request.user, household, **data)
            mentee = Mentee.objects.prefetch_related("pairings").get(pk=mentee.pk)
            return (201 if created else 200), MenteeSerializer(mentee).data

        return idempotent_response(request, "matching.mentee.refer", produce)


class MenteeDetailView(APIView):
    @extend_schema(
        summary="One mentor request and its pairing status", responses={200: MenteeSerializer, 404: ERROR}
    )
    def get(self, request, pk: int):
        mentee = _own_mentees(request).filter(pk=pk).first()
        if mentee is None:
            raise ApiError(404, "not_found", _("Dit bestaat niet (meer)."))
        return Response(MenteeSerializer(mentee).data)


urlpatterns = [
    path("matching/mentees/", MenteesView.as_view(), name="matching-mentees"),
    path("matching/mentees/<int:pk>/", MenteeDetailView.as_view(), name="matching-mentee"),
]
