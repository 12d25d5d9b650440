from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "poolconsole.core"
    label = "core"
