"""API authentication that keeps the second factor: no way around 2FA through /api/.

- Sessions count for staff only after the second factor, by the same condition the pages
  use (``middleware.second_factor_state``).
- Tokens of staff accounts count only while the account has a TOTP authenticator: a token
  is a long-lived password, so it is only handed to accounts that proved a second factor
  when they set it up.

Refusals are 403 ``{"code": "mfa_required", "message": "..."}`` (Dutch), so an app can tell
the person what to do instead of showing a bare "forbidden".
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import SessionAuthentication, TokenAuthentication

from .middleware import NEEDS_SETUP, OK, has_totp, mfa_required_message, second_factor_state
from .roles import requires_mfa


def _refuse(state: str):
    from thuisnet.core.api import ApiError

    return ApiError(403, "mfa_required", mfa_required_message(state))


class MFASessionAuthentication(SessionAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        state = second_factor_state(request._request, user)
        if state != OK:
            raise _refuse(state)
        return result


class MFATokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if requires_mfa(user) and not has_totp(user):
            raise _refuse(NEEDS_SETUP)
        return user, token


class MFASessionScheme(OpenApiAuthenticationExtension):
    """Describe the session login in the OpenAPI schema (a cookie, after the second factor)."""

    target_class = "thuisnet.accounts.api_auth.MFASessionAuthentication"
    name = "cookieAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "Sessie na inloggen; medewerkers pas na de tweede stap (TOTP).",
        }
