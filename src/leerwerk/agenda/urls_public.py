"""Public pages of the agenda (mounted at the site root). The desk's pages live under
/loketten/<slug>/ next to those of network (the desk page) and guidance (/adviesvraag/)."""

from django.urls import path

from leerwerk.agenda import views_public

app_name = "agenda_public"

urlpatterns = [
    path("loketten/<slug:slug>/afspraak/", views_public.slot_list, name="slot_list"),
    path(
        "loketten/<slug:slug>/afspraak/<uuid:slot_uuid>/",
        views_public.book,
        name="book",
    ),
    path("afspraak/<str:token>/", views_public.appointment_manage, name="appointment_manage"),
    path("activiteiten/", views_public.national_event_list, name="national_event_list"),
    path(
        "activiteiten/afmelden/<str:token>/",
        views_public.registration_cancel,
        name="registration_cancel",
    ),
    path("loketten/<slug:slug>/activiteiten/", views_public.event_list, name="event_list"),
    path(
        "loketten/<slug:slug>/activiteiten/<uuid:event_uuid>/",
        views_public.event_detail,
        name="event_detail",
    ),
    path(
        "loketten/<slug:slug>/activiteiten/<uuid:event_uuid>/aangemeld/",
        views_public.event_registered,
        name="event_registered",
    ),
]
