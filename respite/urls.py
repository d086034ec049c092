from django.urls import path

from . import views

app_name = "respite"

urlpatterns = [
    path("", views.search, name="search"),
    path("aanbod/<int:pk>/", views.offer_detail, name="offer"),
    path("aanbod/<int:pk>/aanvragen/", views.request_booking, name="request"),
    path("mijn-aanvragen/", views.my_bookings, name="my_bookings"),
    path("aanvragen/<int:pk>/", views.booking_detail, name="booking"),
    path("aanvragen/<int:pk>/bericht/", views.booking_message, name="booking_message"),
    path("aanvragen/<int:pk>/<slug:action>/", views.booking_action, name="booking_action"),
    path("beheer/", views.manage, name="manage"),
    path("beheer/aanbod/nieuw/", views.offer_new, name="offer_new"),
    path("beheer/aanbod/<int:pk>/", views.offer_edit, name="offer_edit"),
    path("beheer/aanbod/<int:pk>/verwijderen/", views.offer_delete, name="offer_delete"),
    path("beheer/aanbod/<int:pk>/beschikbaarheid/", views.pattern_add, name="pattern_add"),
    path(
        "beheer/aanbod/<int:pk>/beschikbaarheid/<int:pattern_pk>/verwijderen/",
        views.pattern_delete,
        name="pattern_delete",
    ),
    path("beheer/aanbod/<int:pk>/blokkeren/", views.block_add, name="block_add"),
    path(
        "beheer/aanbod/<int:pk>/blokkeren/<int:block_pk>/opheffen/", views.block_delete, name="block_delete"
    ),
    path("regio/", views.demand, name="demand"),
    path("regio/vraag.csv", views.demand_csv, name="demand_csv"),
]
