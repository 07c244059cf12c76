"""Search pages of the catalogue (mounted at the site root): citizens, regional, advisers,
the public offer page and saving an offer to a trajectory. Offers by UUID only."""

from django.urls import path

from leerwerk.catalogue import views_search as views

app_name = "catalogue_search"

urlpatterns = [
    path("opleidingen/", views.search_public, name="public"),
    path("opleidingen/<uuid:offer_uuid>/", views.offer_detail, name="offer_detail"),
    path("loketten/<slug:slug>/opleidingen/", views.search_regional, name="regional"),
    path("medewerkers/opleidingen/zoeken/", views.search_staff, name="staff"),
    path(
        "medewerkers/opleidingen/zoeken/<uuid:offer_uuid>/bewaren/",
        views.offer_save,
        name="offer_save",
    ),
]
