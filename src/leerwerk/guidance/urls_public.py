"""Public pages of guidance: the advice-request form per desk (mounted at the site root)."""

from django.urls import path

from leerwerk.guidance import public_views

app_name = "guidance_public"

urlpatterns = [
    path("loketten/<slug:slug>/adviesvraag/", public_views.request_form, name="request_form"),
    path(
        "loketten/<slug:slug>/adviesvraag/verstuurd/",
        public_views.request_sent,
        name="request_sent",
    ),
]
