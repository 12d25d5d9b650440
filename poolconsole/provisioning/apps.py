from django.apps import AppConfig


class ProvisioningConfig(AppConfig):
    """Creating designed pools in AWS, and the records of what came back."""

    name = "poolconsole.provisioning"
    label = "provisioning"
