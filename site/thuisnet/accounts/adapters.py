from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Account emails (verification, password reset) go through the outbox like all
        # others, so a mail server that is down delays them instead of losing them.
        from thuisnet.core.mail import queue_message

        message = self.render_mail(template_prefix, email, context)
        queue_message(message)
