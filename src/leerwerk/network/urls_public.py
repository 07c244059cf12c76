from django.urls import path

from leerwerk.network.views import public

app_name = "public"

urlpatterns = [
    path("", public.home, name="home"),
    path("loketten/<slug:slug>/", public.desk_detail, name="desk_detail"),
]
