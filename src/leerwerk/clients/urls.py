"""Staff pages about clients and intake requests, under /medewerkers/klanten/."""

from django.urls import path

from leerwerk.clients import views, views_privacy

app_name = "clients"

urlpatterns = [
    path("", views.search, name="search"),
    path("werklijst/", views.work_list, name="work_list"),
    path("nieuw/", views.client_create, name="create"),
    path("<uuid:client_uuid>/", views.client_detail, name="detail"),
    path("<uuid:client_uuid>/wijzigen/", views.client_edit, name="edit"),
    path("<uuid:client_uuid>/toestemming/geven/", views.consent_give, name="consent_give"),
    path(
        "<uuid:client_uuid>/toestemming/intrekken/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    # data-subject rights: export, erasure, merge
    path("<uuid:client_uuid>/export.json", views_privacy.export_json, name="export_json"),
    path("<uuid:client_uuid>/export.pdf", views_privacy.export_pdf, name="export_pdf"),
    path("<uuid:client_uuid>/anonimiseren/", views_privacy.erase, name="erase"),
    path("<uuid:client_uuid>/samenvoegen/", views_privacy.merge, name="merge"),
    # intake requests
    path("aanvragen/", views.request_list, name="request_list"),
    path("aanvragen/nieuw/", views.request_register, name="request_register"),
    path("aanvragen/<uuid:request_uuid>/", views.request_detail, name="request_detail"),
    path(
        "aanvragen/<uuid:request_uuid>/in-behandeling/",
        views.request_accept,
        name="request_accept",
    ),
    path(
        "aanvragen/<uuid:request_uuid>/afhandelen/",
        views.request_dismiss,
        name="request_dismiss",
    ),
    path("verwijzingen/nieuw/", views.referral_create, name="referral_create"),
]
