"""Payout pages under /respijt/uitbetalingen/; each answers 404 unless PAYOUTS_ENABLED."""

from django.urls import path

from . import views

app_name = "payouts"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("aanmelden/", views.onboard, name="onboard"),
    path("aanmelden/terug/", views.onboard_return, name="onboard_return"),
    path("aanmelden/vernieuwen/", views.onboard_refresh, name="onboard_refresh"),
    path("aanbieder/", views.provider, name="provider"),
    path("verblijf/<int:pk>/bevestigen/", views.confirm, name="confirm"),
    path("uitbetaling/<int:pk>/opnieuw/", views.retry, name="retry"),
    path("regio/", views.region, name="region"),
    path("regio/<int:pk>/", views.region, name="region_detail"),
    path("regio/<int:pk>/afstemmen/", views.reconcile, name="reconcile"),
    path("regio/<int:pk>/export.<str:fmt>", views.export, name="export"),
    path("webhook/", views.webhook, name="webhook"),
]
