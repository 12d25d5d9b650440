from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "poolconsole.audit"
    label = "audit"
