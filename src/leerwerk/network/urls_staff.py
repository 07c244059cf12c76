"""Staff pages under /medewerkers/. Objects are addressed by UUID, never by database id."""

from django.urls import path

from leerwerk.core import views_audit
from leerwerk.network.views import staff

app_name = "staff"

urlpatterns = [
    path("", staff.home, name="home"),
    path("landelijk/", staff.national_overview, name="national_overview"),
    # desks
    path("loketten/<uuid:desk_uuid>/", staff.desk_detail, name="desk_detail"),
    path("loketten/<uuid:desk_uuid>/instellingen/", staff.desk_settings, name="desk_settings"),
    path("loketten/<uuid:desk_uuid>/auditlog/", views_audit.audit_list, name="audit_log"),
    # locations
    path(
        "loketten/<uuid:desk_uuid>/vestigingen/nieuw/",
        staff.location_create,
        name="location_create",
    ),
    path("vestigingen/<uuid:location_uuid>/wijzigen/", staff.location_edit, name="location_edit"),
    path(
        "vestigingen/<uuid:location_uuid>/verwijderen/",
        staff.location_delete,
        name="location_delete",
    ),
    # team
    path("loketten/<uuid:desk_uuid>/team/", staff.team_list, name="team_list"),
    path(
        "loketten/<uuid:desk_uuid>/team/nieuw/", staff.membership_create, name="membership_create"
    ),
    path(
        "lidmaatschappen/<uuid:membership_uuid>/wijzigen/",
        staff.membership_edit,
        name="membership_edit",
    ),
    path(
        "lidmaatschappen/<uuid:membership_uuid>/beeindigen/",
        staff.membership_end,
        name="membership_end",
    ),
    # partners
    path("loketten/<uuid:desk_uuid>/partners/", staff.partner_list, name="partner_list"),
    path(
        "loketten/<uuid:desk_uuid>/partners/nieuw/",
        staff.partnership_add,
        name="partnership_add",
    ),
    path(
        "partnerschappen/<uuid:partnership_uuid>/verwijderen/",
        staff.partnership_remove,
        name="partnership_remove",
    ),
]
