from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "thuisnet.home"
    label = "home"
    verbose_name = "Home"
