"""The /api/v1/ URL map: each app adds its endpoints in its own ``api.py`` (``urlpatterns``)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api:schema"), name="docs"),
    path("", include("foster.api")),
    path("", include("foster.placements.api")),
    path("", include("respite.api")),
    path("", include("knowledge.api")),
    path("", include("matching.api")),
]
