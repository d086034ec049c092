from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "thuisnet.accounts"
    label = "accounts"
    verbose_name = "Accounts en rollen"

    def ready(self) -> None:
        from . import signals  # noqa: F401
