from functools import partial

from django.conf import settings

from thuisnet.accounts.inbox import unread_count

from .navigation import menu


def site_chrome(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "main_menu": menu(request),
        "payouts_enabled": settings.PAYOUTS_ENABLED,
        # A callable: the COUNT runs only when the header renders it (once, in a {% with %}).
        "inbox_unread": partial(unread_count, user),
    }
