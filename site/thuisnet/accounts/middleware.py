from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .roles import requires_mfa

# Paths a staff member without a second factor may still reach: setting one up,
# logging out, and what the pages themselves need.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/media/", "/healthz", "/i18n/", "/api/")
SESSION_FLAG = "thuisnet_mfa_ok"


def _passed_second_factor(request, user) -> bool:
    from allauth.account.authentication import get_authentication_records

    return any(r.get("method") == "mfa" for r in get_authentication_records(request, user))


class RequireStaffMFAMiddleware:
    """Staff roles (provider staff, coordinators, editors, administrators) must use TOTP.

    A staff session counts only when it passed allauth's second-factor step (or just set
    up an authenticator, which proves the same). A session that got in another way — an
    old session from before the person became staff, or any login view that skips the
    second step — is logged out, not waved through because an authenticator exists.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.session.get(SESSION_FLAG)
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and requires_mfa(user)
        ):
            from allauth.mfa.models import Authenticator

            if _passed_second_factor(request, user):
                request.session[SESSION_FLAG] = True
            elif not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                messages.info(
                    request,
                    _("Stel eerst tweestapsverificatie in: je werkt met gegevens van gezinnen en kinderen."),
                )
                return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
            else:
                logout(request)
                messages.info(request, _("Log opnieuw in met je code uit de authenticator-app."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
        return self.get_response(request)
