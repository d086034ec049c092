from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

from .roles import requires_mfa

# Paths a staff member without a second factor may still reach: setting one up,
# logging out, and what the pages themselves need.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/media/", "/healthz", "/i18n/", "/api/")
_SESSION_FLAG = "thuisnet_mfa_ok"


class RequireStaffMFAMiddleware:
    """Staff roles (provider staff, coordinators, editors, administrators) must have TOTP.

    allauth asks for the second factor at login once an authenticator exists; this
    middleware makes sure a staff account cannot do anything else before it has one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.session.get(_SESSION_FLAG)
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and requires_mfa(user)
        ):
            from allauth.mfa.models import Authenticator

            if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                request.session[_SESSION_FLAG] = True
            else:
                return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)
