from django.apps import AppConfig


class RespiteConfig(AppConfig):
    name = "respite"
    verbose_name = "Respijtopvang"
    label = "respite"
