from django.urls import path

from . import views
from .startpath import views as startpath_views

app_name = "knowledge"

urlpatterns = [
    path("", views.index, name="index"),
    path("vragen/", views.question_list, name="questions"),
    path("vragen/stellen/", views.ask, name="ask"),
    path("vragen/suggesties/", views.suggest, name="suggest"),
    path("vragen/<int:pk>/", views.question_detail, name="question"),
    path("vragen/<int:pk>/antwoorden/", views.answer, name="answer"),
    path("antwoorden/<int:pk>/nuttig/", views.vote, name="vote"),
    path("antwoorden/<int:pk>/accepteren/", views.accept, name="accept"),
    path("antwoorden/<int:pk>/verifieren/", views.verify, name="verify"),
    path("antwoorden/<int:pk>/naar-kennisbank/", views.convert, name="convert"),
    path("melden/<str:kind>/<int:pk>/", views.report, name="report"),
    path("moderatie/", views.moderation_queue, name="moderation"),
    path("moderatie/<str:kind>/<int:pk>/", views.moderate, name="moderate"),
    path("meldingen/", views.notifications, name="notifications"),
    path("meldingen/instellingen/", views.preferences, name="preferences"),
    path("afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("startpad/", startpath_views.my_path, name="startpath"),
    path("startpad/stap/<int:step_id>/klaar/", startpath_views.mark_done, name="startpath_done"),
    path("startpad/stap/<int:step_id>/document/", startpath_views.add_document, name="startpath_document"),
    path("startpad/document/<int:progress_id>/", startpath_views.download, name="startpath_download"),
    path("startpad/coach/", startpath_views.coach, name="startpath_coach"),
    path("startpad/starters/<int:pk>/", startpath_views.starter_detail, name="startpath_starter"),
    path("startpad/regio/", startpath_views.region, name="startpath_region"),
]
