"""Staff pages of the agenda under /medewerkers/agenda/. Objects by UUID."""

from django.urls import path

from leerwerk.agenda import views_staff

app_name = "agenda"

urlpatterns = [
    path("loketten/<uuid:desk_uuid>/", views_staff.desk_agenda, name="desk_agenda"),
    path(
        "loketten/<uuid:desk_uuid>/beschikbaarheid/",
        views_staff.availability,
        name="availability",
    ),
    path(
        "beschikbaarheid/<uuid:block_uuid>/verwijderen/",
        views_staff.availability_delete,
        name="availability_delete",
    ),
    path(
        "afspraken/<uuid:appointment_uuid>/",
        views_staff.appointment_detail,
        name="appointment_detail",
    ),
    path("loketten/<uuid:desk_uuid>/activiteiten/", views_staff.event_list, name="event_list"),
    path(
        "loketten/<uuid:desk_uuid>/activiteiten/nieuw/",
        views_staff.event_create,
        name="event_create",
    ),
    path("activiteiten/<uuid:event_uuid>/", views_staff.event_detail, name="event_detail"),
    path("activiteiten/<uuid:event_uuid>/wijzigen/", views_staff.event_edit, name="event_edit"),
    path("activiteiten/<uuid:event_uuid>/deur/", views_staff.event_door, name="event_door"),
    path("activiteiten/<uuid:event_uuid>/teller/", views_staff.event_counter, name="event_counter"),
    path(
        "aanmeldingen/<uuid:registration_uuid>/binnen/",
        views_staff.registration_check_in,
        name="registration_check_in",
    ),
    path(
        "aanmeldingen/<uuid:registration_uuid>/annuleren/",
        views_staff.registration_cancel,
        name="registration_cancel",
    ),
]
