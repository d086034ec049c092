from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.urls import path

BODY = Path(settings.BARE_BODY_FILE).read_bytes() if settings.BARE_BODY_FILE else b"<!doctype html><p>bare"


def page(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("", page)]
