from django.urls import path

from leerwerk.network.views import staff

app_name = "staff"

urlpatterns = [
    path("", staff.home, name="home"),
]
