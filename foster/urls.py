from django.urls import path

from . import views

app_name = "foster"

urlpatterns = [
    path("", views.index, name="index"),
    path("mijn-activiteiten/", views.my_activities, name="my_activities"),
    path("agenda/<slug:region_slug>.ics", views.region_feed, name="feed"),
    path("inschrijving/<str:token>/", views.registration, name="registration"),
    path("uitnodiging/<str:token>/", views.invitation, name="invitation"),
    path("beheer/bedankmoment/<int:page_id>/", views.invite, name="invite"),
    path("al-aangemeld/<int:session_id>/", views.already_registered, name="already_registered"),
    path("vacatures/<int:page_id>/interesse/", views.vacancy_interest, name="vacancy_interest"),
    path("beheer/", views.manage_list, name="manage_list"),
    path("beheer/<int:session_id>/", views.manage_session, name="manage_session"),
    path("beheer/<int:session_id>/inchecken/", views.check_in, name="check_in"),
    path("beheer/<int:session_id>/export.csv", views.export, name="export"),
    path("beheer/<int:session_id>/bericht/", views.message_all, name="message"),
    path("beheer/<int:session_id>/afgelasten/", views.cancel_session, name="cancel_session"),
    path("aspiranten/", views.prospects, name="prospects"),
    path("aspiranten/<int:pk>/", views.prospect, name="prospect"),
    path("rapportage/", views.report, name="report"),
]
