"""The public funding wizard (mounted at the site root)."""

from django.urls import path

from leerwerk.funding import views_public

app_name = "funding_public"

urlpatterns = [
    path("financiering/", views_public.wizard, name="wizard"),
    path("loketten/<slug:slug>/financiering/", views_public.wizard, name="desk_wizard"),
]
