"""Staff pages of the portal, mounted at /medewerkers/website/."""

from django.urls import path

from leerwerk.portal import views_staff as views

app_name = "portal_staff"

urlpatterns = [
    path("loketten/<uuid:desk_uuid>/", views.overview, name="overview"),
    path("loketten/<uuid:desk_uuid>/teksten/<str:slot>/", views.block_edit, name="block_edit"),
    path("loketten/<uuid:desk_uuid>/instellingen/", views.settings_edit, name="settings_edit"),
    path("loketten/<uuid:desk_uuid>/bezoek/", views.visits, name="visits"),
    path("loketten/<uuid:desk_uuid>/zelftesten/", views.shares, name="shares"),
    path("zelftesten/<uuid:share_uuid>/", views.share_detail, name="share_detail"),
]
