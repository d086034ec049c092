from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.inbox_page, name="inbox"),
    path("<int:pk>/gelezen/", views.mark_read, name="inbox_mark_read"),
    path("alles-gelezen/", views.mark_all_read, name="inbox_mark_all_read"),
]
