"""The /api/v1/ URL map: each app adds its endpoints in its own ``api.py`` (``urlpatterns``)."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

app_name = "api"


class ApiDocsView(SpectacularRedocView):
    """ReDoc from drf-spectacular-sidecar (this host), in a page without web fonts or inline code."""

    template_name = "api/redoc.html"


# ReDoc writes its styles into <style> elements at run time and runs its search in a Web
# Worker made from a blob: URL. Only this page gets those two allowances; scripts stay
# 'self' and the rest of the site keeps the strict policy.
_docs_csp = csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", _docs_csp(ApiDocsView.as_view(url_name="api:schema")), name="docs"),
    path("", include("foster.api")),
    path("", include("foster.placements.api")),
    path("", include("respite.api")),
    path("", include("knowledge.api")),
    path("", include("matching.api")),
    path("", include("search.api")),
]
