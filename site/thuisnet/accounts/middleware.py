from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .roles import requires_mfa

# Paths a staff member without a second factor may still reach: setting one up,
# logging out, and what the pages themselves need. The API is not among them: it answers
# 403 ``mfa_required`` (here for sessions, in ``api_auth`` for DRF's own authentication).
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/media/", "/i18n/")
_ALLOWED_PATHS = ("/healthz", "/healthz/")  # exact: "/healthzone/" is not the health check
_API_PREFIX = "/api/"
SESSION_FLAG = "thuisnet_mfa_ok"

# Why a staff member may not act yet.
OK, NEEDS_SETUP, NEEDS_CODE = "ok", "setup", "code"


def _passed_second_factor(request, user) -> bool:
    from allauth.account.authentication import get_authentication_records

    return any(r.get("method") == "mfa" for r in get_authentication_records(request, user))


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def second_factor_state(request, user) -> str:
    """OK when ``user`` may act in this session; else what is missing.

    The one condition for pages and the API alike: staff (provider staff, coordinators,
    editors, administrators) count only once this session passed allauth's second-factor
    step, or set up an authenticator (which proves the same).
    """
    if not requires_mfa(user):
        return OK
    if request.session.get(SESSION_FLAG):
        if has_totp(user):
            return OK
        # The authenticator was removed after this session proved it: the session no
        # longer stands for a second factor.
        del request.session[SESSION_FLAG]
        return NEEDS_SETUP
    if _passed_second_factor(request, user):
        request.session[SESSION_FLAG] = True
        return OK
    return NEEDS_CODE if has_totp(user) else NEEDS_SETUP


def mfa_required_message(state: str) -> str:
    if state == NEEDS_SETUP:
        return _(
            "Stel eerst tweestapsverificatie in op de website (Account, Tweestapsverificatie): "
            "je werkt met gegevens van gezinnen en kinderen. Daarna werkt de API weer."
        )
    return _("Log opnieuw in met je code uit de authenticator-app; daarna werkt de API weer.")


def mfa_required_response(state: str) -> JsonResponse:
    return JsonResponse({"code": "mfa_required", "message": mfa_required_message(state)}, status=403)


class RequireStaffMFAMiddleware:
    """Staff roles (provider staff, coordinators, editors, administrators) must use TOTP.

    A staff session counts only when it passed allauth's second-factor step (or just set
    up an authenticator, which proves the same). A session that got in another way — an
    old session from before the person became staff, or any login view that skips the
    second step — is logged out, not waved through because an authenticator exists. A staff
    member without an authenticator can do nothing but set one up: pages redirect there and
    the API answers 403 ``mfa_required``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and request.path not in _ALLOWED_PATHS
        ):
            state = second_factor_state(request, user)
            if state == OK:
                pass
            elif request.path.startswith(_API_PREFIX):
                # A request with its own credentials (a token) is judged by the API's
                # authentication; the session is not what it acts with.
                if not request.META.get("HTTP_AUTHORIZATION"):
                    return mfa_required_response(state)
            elif state == NEEDS_SETUP:
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
