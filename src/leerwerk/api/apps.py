from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "leerwerk.api"
    label = "api"
    verbose_name = "API"
