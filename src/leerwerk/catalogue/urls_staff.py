"""Staff pages of the catalogue (/medewerkers/opleidingen/). Objects by UUID only."""

from django.urls import path

from leerwerk.catalogue import views_staff as views

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("sjabloon.csv", views.template_download, name="template_download"),
    path("bronnen/<uuid:feed_uuid>/", views.feed_detail, name="feed_detail"),
    path("bronnen/<uuid:feed_uuid>/uploaden/", views.feed_upload, name="feed_upload"),
    path("imports/<uuid:run_uuid>/", views.run_detail, name="run_detail"),
    path("imports/<uuid:run_uuid>/afgekeurd.csv", views.run_errors_csv, name="run_errors_csv"),
    path("beroepen/zoeken/", views.occupation_search, name="occupation_search"),
    path("loket/<uuid:desk_uuid>/eigen-bron/", views.desk_feed, name="desk_feed"),
    path("loket/<uuid:desk_uuid>/kansberoepen/", views.opportunity_list, name="opportunity_list"),
    path(
        "loket/<uuid:desk_uuid>/kansberoepen/nieuw/",
        views.opportunity_create,
        name="opportunity_create",
    ),
    path("loket/<uuid:desk_uuid>/scholingsmatrix/", views.matrix, name="matrix"),
    path("loket/<uuid:desk_uuid>/regionale-keuzes/", views.curation_list, name="curation_list"),
    path(
        "loket/<uuid:desk_uuid>/regionale-keuzes/<uuid:offer_uuid>/",
        views.curation_set,
        name="curation_set",
    ),
    path(
        "kansberoepen/<uuid:opportunity_uuid>/",
        views.opportunity_detail,
        name="opportunity_detail",
    ),
    path(
        "kansberoepen/<uuid:opportunity_uuid>/verwijderen/",
        views.opportunity_delete,
        name="opportunity_delete",
    ),
    path(
        "kansberoepen/<uuid:opportunity_uuid>/routes/toevoegen/",
        views.route_add,
        name="route_add",
    ),
    path(
        "kansberoepen/<uuid:opportunity_uuid>/routes/verwijderen/",
        views.route_remove,
        name="route_remove",
    ),
]
