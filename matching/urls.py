from django.urls import path, re_path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("profiel/", views.save_profile, name="save_profile"),
    path("vragen/<int:mentor_id>/", views.request_mentor, name="request"),
    path("verzoek/<int:request_id>/afsluiten/", views.close, name="close"),
    re_path(r"^verzoek/(?P<request_id>\d+)/(?P<decision>accepteren|afwijzen)/$", views.decide, name="decide"),
]
