from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "poolconsole.audit"
    label = "audit"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from .receivers import audit_login_failed

        user_login_failed.connect(audit_login_failed, dispatch_uid="audit_login_failed")
