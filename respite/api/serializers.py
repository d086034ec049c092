"""Serializers of the respite API and the search hit's JSON, built directly."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from thuisnet.accounts.models import Municipality
from thuisnet.accounts.policies import can
from thuisnet.core import pii
from thuisnet.core.api import ApiError

from .. import services
from ..models import AvailabilityPattern, BlockedDate, Booking, Need, Offer, Part


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
            "min_stay",
            "is_active",
        ]


class OfferWithFreeSerializer(OfferSerializer):
    distance_km = serializers.FloatField(read_only=True, allow_null=True)
    free = serializers.IntegerField(read_only=True)
    slots = SlotSerializer(many=True, read_only=True)
    members_first = serializers.BooleanField(
        read_only=True,
        help_text="A hub family's nights still open to its own constellation only (you are a member).",
    )

    class Meta(OfferSerializer.Meta):
        fields = [*OfferSerializer.Meta.fields, "distance_km", "free", "slots", "members_first"]


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
        "min_stay": offer.min_stay,
        "is_active": offer.is_active,
        "distance_km": None if hit.distance_km is None else round(hit.distance_km, 1),
        "free": hit.free,
        "slots": [{**s, "date": s["date"].isoformat()} for s in hit.slots],
        "members_first": hit.members_first,
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
