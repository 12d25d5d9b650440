from django.apps import AppConfig


class PoolsConfig(AppConfig):
    name = "poolconsole.pools"
    label = "pools"
