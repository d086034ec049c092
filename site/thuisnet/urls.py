from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from thuisnet.core.views import favicon, healthz, switch_language

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("taal/<str:code>/", switch_language, name="switch_language"),
    path("accounts/", include("allauth.urls")),
    path("meldingen/", include("thuisnet.accounts.urls")),
    # Only allauth's login (with its second-factor step) signs people in.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("django-admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("thuisnet.api")),
    path("avonden/", include("foster.urls")),
    path("monitor/", include("foster.placements.urls")),
    path("respijt/uitbetalingen/", include("respite.payouts.urls")),
    path("respijt/", include("respite.urls")),
    path("kennis/", include("knowledge.urls")),
    path("mentoren/", include("matching.urls")),
    path("zoeken/", include("search.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
else:
    from django.views.static import serve

    # Uploaded documents and images: small, and served by Django so the one-container
    # deployment needs no separate file server. Put a proxy cache in front if needed.
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

# Wagtail's page serving last: it catches everything else.
urlpatterns += [path("", include(wagtail_urls))]
