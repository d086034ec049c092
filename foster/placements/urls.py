from django.urls import path

from . import views

app_name = "placements"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("plaatsingen/", views.register_view, name="register"),
    path("plaatsingen/nieuw/", views.placement_create, name="create"),
    path("plaatsingen/<int:pk>/", views.placement_edit, name="edit"),
    path("import/", views.import_view, name="import"),
    path("import/sjabloon.<str:fmt>", views.template_download, name="template"),
    path("import/voortgang/<str:token>/", views.import_progress_view, name="import_progress"),
    path("doel/", views.target_view, name="target"),
    path("ambitie/", views.feasibility_view, name="feasibility"),
]
