from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver

from .middleware import SESSION_FLAG


@receiver(authenticator_added)
def _second_factor_set_up(sender, request, user, authenticator, **kwargs) -> None:
    # Activating TOTP requires a valid code: the session has proved the second factor.
    if request is not None and authenticator.type == "totp":
        # A new session key from here on: a key someone planted or saw before the second
        # factor was set up is worth nothing afterwards.
        request.session.cycle_key()
        request.session[SESSION_FLAG] = True
