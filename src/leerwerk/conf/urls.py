from django.contrib import admin
from django.urls import include, path

from leerwerk.core import views as core_views

admin.site.site_header = "Leerwerk – beheer"
admin.site.site_title = "Leerwerk beheer"
admin.site.index_title = "Technisch beheer"

urlpatterns = [
    path("health/", core_views.health, name="health"),
    path("account/", include("leerwerk.accounts.urls")),
    path("medewerkers/rapportage/", include("leerwerk.reporting.urls")),
    path("medewerkers/agenda/", include("leerwerk.agenda.urls_staff")),
    path("medewerkers/opleidingen/", include("leerwerk.catalogue.urls_staff")),
    path("medewerkers/website/", include("leerwerk.portal.urls_staff")),
    path("medewerkers/", include("leerwerk.mijn.urls_staff")),
    path("medewerkers/", include("leerwerk.network.urls_staff")),
    path("medewerkers/klanten/", include("leerwerk.clients.urls")),
    path("medewerkers/begeleiding/", include("leerwerk.dossier.urls_staff")),
    path("medewerkers/begeleiding/", include("leerwerk.guidance.urls")),
    path("medewerkers/financiering/", include("leerwerk.funding.urls")),
    path("beheer/", admin.site.urls),
    path("api/v1/", include("leerwerk.api.urls")),
    path("mijn/", include("leerwerk.mijn.urls")),
    path("", include("leerwerk.guidance.urls_public")),
    path("", include("leerwerk.agenda.urls_public")),
    path("", include("leerwerk.funding.urls_public")),
    path("", include("leerwerk.network.urls_public")),
    path("", include("leerwerk.portal.urls_public")),
    path("", include("leerwerk.catalogue.urls_public")),
    path("", include("leerwerk.catalogue.urls_search")),
]

handler403 = "leerwerk.core.views.permission_denied"
handler404 = "leerwerk.core.views.page_not_found"
handler500 = "leerwerk.core.views.server_error"
