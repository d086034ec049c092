from django.apps import AppConfig


class PayoutsConfig(AppConfig):
    """Payouts to respite hosts (part of respite, own tables). Stripe is imported only when on."""

    name = "respite.payouts"
    label = "payouts"
    verbose_name = "Uitbetalingen aan gastgezinnen"
