from django.urls import path

from leerwerk.catalogue import views_public

app_name = "catalogue_public"

urlpatterns = [
    path("loketten/<slug:slug>/kansberoepen/", views_public.matrix, name="matrix"),
]
