"""``GET /api/v1/search/?q=&kind=&municipality=``: the site search as JSON (same answer as
the page: hits on one scale, facets, "bedoelde je")."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from thuisnet.core.api import ApiError

from . import registry, services


class HitSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    snippet = serializers.CharField()
    highlight = serializers.CharField(
        help_text="the snippet as HTML: text escaped, matched words in <mark> (both engines)"
    )
    score = serializers.FloatField(help_text="0..~1.15, one scale for every kind and engine")
    municipality = serializers.CharField(allow_blank=True)
    starts_at = serializers.CharField(allow_null=True)


class FacetSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer):
    kind = FacetSerializer(many=True)
    municipality = FacetSerializer(many=True)


class ResultsSerializer(serializers.Serializer):
    query = serializers.CharField()
    engine = serializers.CharField()
    total = serializers.IntegerField()
    did_you_mean = serializers.CharField(allow_blank=True)
    hits = HitSerializer(many=True)
    facets = FacetsSerializer()
    failed_sources = serializers.ListField(child=serializers.CharField())


def as_json(results: services.SearchResults) -> dict:
    return {
        "query": results.query,
        "engine": results.engine,
        "total": results.total,
        "did_you_mean": results.did_you_mean,
        "hits": [
            {
                "title": h.title,
                "url": h.url,
                "kind": h.kind,
                "kind_label": str(h.kind_label),
                "snippet": h.snippet,
                "highlight": str(h.highlight),
                "score": h.score,
                "municipality": h.extra.get("municipality", ""),
                "starts_at": h.extra.get("starts_at"),
            }
            for h in results.hits
        ],
        "facets": results.facets or {"kind": [], "municipality": []},
        "failed_sources": results.failed_sources,
    }


class SearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="search",
        summary="Zoeken over alles wat de lezer mag zien",
        parameters=[
            OpenApiParameter("q", str, required=True, description="zoekvraag (max. 200 tekens)"),
            OpenApiParameter("kind", str, enum=None, description="alleen deze soort, bv. article"),
            OpenApiParameter("municipality", str, description="alleen deze gemeente (naam)"),
            OpenApiParameter("limit", int, description="aantal resultaten (1-50, standaard 20)"),
        ],
        responses=ResultsSerializer,
    )
    def get(self, request):
        q = request.query_params.get("q", "")
        if len(q) > services.MAX_QUERY_LENGTH:
            raise ApiError(422, "too_long", "De zoekvraag is te lang (maximaal 200 tekens).")
        kind = request.query_params.get("kind") or None
        if kind and kind not in registry.kinds():
            raise ApiError(422, "invalid_kind", "Onbekende soort.")
        try:
            limit = max(1, min(50, int(request.query_params.get("limit", 20))))
        except ValueError:
            raise ApiError(422, "invalid_limit", "Het aantal moet een getal zijn.") from None
        results = services.search(
            q,
            user=request.user,
            kind=kind,
            municipality=request.query_params.get("municipality"),
            limit=limit,
        )
        return Response(as_json(results))


urlpatterns = [path("search/", SearchView.as_view(), name="search")]
