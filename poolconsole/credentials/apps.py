from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "poolconsole.credentials"
    label = "credentials"
