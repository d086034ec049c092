from django.conf import settings

from .navigation import menu


def site_chrome(request) -> dict:
    return {
        "main_menu": menu(request),
        "payouts_enabled": settings.PAYOUTS_ENABLED,
    }
