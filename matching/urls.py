from django.urls import path, re_path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("profiel/", views.save_profile, name="save_profile"),
    path("vragen/<int:mentor_id>/", views.request_mentor, name="request"),
    path("verzoek/<int:request_id>/afsluiten/", views.close, name="close"),
    re_path(r"^verzoek/(?P<request_id>\d+)/(?P<decision>accepteren|afwijzen)/$", views.decide, name="decide"),
    path("aanmelden/", views.ask, name="ask"),
    path("aanbod/", views.offer, name="offer"),
    path("koppelingen/", views.pairings, name="pairings"),
    re_path(
        r"^koppelingen/(?P<pairing_id>\d+)/(?P<action>accepteren|afwijzen|check-in|beeindigen)/$",
        views.pairing_action,
        name="pairing_action",
    ),
    path("bevestigen/<int:profile_id>/", views.verify, name="verify"),
    path("rondes/", views.rounds, name="rounds"),
    path("rondes/<int:round_id>/", views.round_detail, name="round"),
    path("regio/", views.region_view, name="region"),
    path("check-in/<str:token>/", views.checkin, name="checkin"),
    path("netwerk/", views.network, name="network"),
    path("buddy/", views.buddies, name="buddies"),
    path("constellatie/", views.constellation, name="constellation"),
    path("constellatie/agenda.ics", views.gatherings_feed, name="gatherings_feed"),
    path(
        "constellatie/bijeenkomst/<int:gathering_id>/afzeggen/",
        views.cancel_gathering,
        name="cancel_gathering",
    ),
    path("constellaties/", views.manage_constellations, name="manage_constellations"),
]
