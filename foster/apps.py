from django.apps import AppConfig


class FosterConfig(AppConfig):
    name = "foster"
    verbose_name = "Werving en plaatsingen"
    label = "foster"
