"""Query parameters of the respite API's lists: a wrong value answers 422."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework import serializers

from thuisnet.accounts.models import Municipality

from ..models import Booking, Kind, Need


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
