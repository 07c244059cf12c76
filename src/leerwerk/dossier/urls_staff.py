"""Staff pages of the dossier, under /medewerkers/begeleiding/ next to the trajectory pages
(``leerwerk.guidance.urls``; the paths do not overlap). Objects are addressed by UUID."""

from django.urls import path

from leerwerk.dossier import views

app_name = "dossier"

urlpatterns = [
    path(
        "trajecten/<uuid:trajectory_uuid>/ontwikkelplan/",
        views.plan_overview,
        name="plan_overview",
    ),
    path(
        "trajecten/<uuid:trajectory_uuid>/ontwikkelplan/nieuw/",
        views.plan_create,
        name="plan_create",
    ),
    path(
        "trajecten/<uuid:trajectory_uuid>/ontwikkelplan/nieuwe-versie/",
        views.plan_new_version,
        name="plan_new_version",
    ),
    path("ontwikkelplannen/<uuid:plan_uuid>/", views.plan_detail, name="plan_detail"),
    path("ontwikkelplannen/<uuid:plan_uuid>/wijzigen/", views.plan_edit, name="plan_edit"),
    path("ontwikkelplannen/<uuid:plan_uuid>/delen/", views.plan_share, name="plan_share"),
    path("ontwikkelplannen/<uuid:plan_uuid>/weggooien/", views.plan_discard, name="plan_discard"),
    path("ontwikkelplannen/<uuid:plan_uuid>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("trajecten/<uuid:trajectory_uuid>/berichten/", views.thread, name="thread"),
    path("berichten/", views.unread_list, name="unread_list"),
]
