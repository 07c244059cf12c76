"""Staff pages of Mijn Leerwerkloket, mounted under /medewerkers/."""

from django.urls import path

from leerwerk.mijn import views_staff

app_name = "mijn_staff"

urlpatterns = [
    path("klanten/<uuid:client_uuid>/mijn/", views_staff.client_links, name="client_links"),
    path(
        "klanten/<uuid:client_uuid>/mijn/<uuid:link_uuid>/intrekken/",
        views_staff.link_revoke,
        name="link_revoke",
    ),
    path(
        "mijn-leerwerkloket/verwijderverzoeken/",
        views_staff.erasure_requests,
        name="erasure_requests",
    ),
    path(
        "mijn-leerwerkloket/verwijderverzoeken/<uuid:request_uuid>/",
        views_staff.erasure_request_detail,
        name="erasure_request",
    ),
]
