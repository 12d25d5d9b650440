from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "poolconsole.tenants"
    label = "tenants"
