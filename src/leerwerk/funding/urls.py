"""Staff pages for funding (/medewerkers/financiering/). Objects are addressed by UUID."""

from django.urls import path

from leerwerk.funding import views_adviser, views_staff

app_name = "funding"

urlpatterns = [
    path("", views_staff.arrangement_list, name="arrangement_list"),
    path("nieuw/", views_staff.arrangement_create, name="arrangement_create"),
    path(
        "regelingen/<uuid:arrangement_uuid>/",
        views_staff.arrangement_detail,
        name="arrangement_detail",
    ),
    path(
        "regelingen/<uuid:arrangement_uuid>/wijzigen/",
        views_staff.arrangement_update,
        name="arrangement_update",
    ),
    path(
        "regelingen/<uuid:arrangement_uuid>/gecontroleerd/",
        views_staff.arrangement_checked,
        name="arrangement_checked",
    ),
    path(
        "regelingen/<uuid:arrangement_uuid>/voorwaarden/nieuw/",
        views_staff.condition_create,
        name="condition_create",
    ),
    path(
        "voorwaarden/<uuid:condition_uuid>/wijzigen/",
        views_staff.condition_update,
        name="condition_update",
    ),
    path(
        "voorwaarden/<uuid:condition_uuid>/verwijderen/",
        views_staff.condition_delete,
        name="condition_delete",
    ),
    # the adviser's check inside a trajectory, and the saved advice
    path(
        "trajecten/<uuid:trajectory_uuid>/", views_adviser.trajectory_check, name="trajectory_check"
    ),
    path("adviezen/<uuid:advice_uuid>/", views_adviser.advice_detail, name="advice_detail"),
]
