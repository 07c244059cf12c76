"""Staff pages for trajectories, registrations and employers (/medewerkers/begeleiding/).
Objects are addressed by UUID, never by database id."""

from django.urls import path

from leerwerk.guidance.views import employers, registrations, trajectories, vocabulary

app_name = "guidance"

urlpatterns = [
    # trajectories
    path(
        "klant/<uuid:client_uuid>/traject-openen/",
        trajectories.trajectory_open,
        name="trajectory_open",
    ),
    path(
        "trajecten/<uuid:trajectory_uuid>/",
        trajectories.trajectory_detail,
        name="trajectory_detail",
    ),
    path(
        "trajecten/<uuid:trajectory_uuid>/status/",
        trajectories.trajectory_status,
        name="trajectory_status",
    ),
    path(
        "trajecten/<uuid:trajectory_uuid>/adviseur/",
        trajectories.trajectory_assign,
        name="trajectory_assign",
    ),
    path(
        "trajecten/<uuid:trajectory_uuid>/wijzigen/",
        trajectories.trajectory_update,
        name="trajectory_update",
    ),
    path(
        "trajecten/<uuid:trajectory_uuid>/afsluiten/",
        trajectories.trajectory_close,
        name="trajectory_close",
    ),
    # registrations
    path(
        "trajecten/<uuid:trajectory_uuid>/registraties/nieuw/",
        registrations.registration_create,
        name="registration_create",
    ),
    path(
        "registraties/<uuid:registration_uuid>/wijzigen/",
        registrations.registration_update,
        name="registration_update",
    ),
    path(
        "registraties/<uuid:registration_uuid>/verwijderen/",
        registrations.registration_delete,
        name="registration_delete",
    ),
    path(
        "informatiecontact/nieuw/",
        registrations.information_contact_create,
        name="information_contact_create",
    ),
    # employers
    path("werkgevers/", employers.employer_list, name="employer_list"),
    path("werkgevers/nieuw/", employers.employer_create, name="employer_create"),
    path("werkgevers/<uuid:employer_uuid>/", employers.employer_detail, name="employer_detail"),
    path(
        "werkgevers/<uuid:employer_uuid>/wijzigen/",
        employers.employer_update,
        name="employer_update",
    ),
    path(
        "werkgevers/<uuid:employer_uuid>/contactpersoon/nieuw/",
        employers.employer_contact_person_add,
        name="employer_contact_person_add",
    ),
    path(
        "werkgevers/<uuid:employer_uuid>/activiteit/nieuw/",
        employers.employer_activity_create,
        name="employer_activity_create",
    ),
    # the national vocabulary (registratielijst)
    path("registratielijst/", vocabulary.vocabulary_list, name="vocabulary_list"),
    path(
        "registratielijst/nieuw/",
        vocabulary.vocabulary_draft_create,
        name="vocabulary_draft_create",
    ),
    path("registratielijst/<int:number>/", vocabulary.vocabulary_detail, name="vocabulary_detail"),
    path(
        "registratielijst/<int:number>/soorten/nieuw/",
        vocabulary.registration_type_create,
        name="registration_type_create",
    ),
    path(
        "registratielijst/<int:number>/soorten/<slug:code>/wijzigen/",
        vocabulary.registration_type_update,
        name="registration_type_update",
    ),
    path(
        "registratielijst/<int:number>/publiceren/",
        vocabulary.vocabulary_publish,
        name="vocabulary_publish",
    ),
    path(
        "registratielijst/<int:number>/verwijderen/",
        vocabulary.vocabulary_draft_delete,
        name="vocabulary_draft_delete",
    ),
]
