from django.urls import path

from leerwerk.reporting import views

app_name = "reporting"

urlpatterns = [
    path("loketten/<uuid:desk_uuid>/", views.desk_report, name="desk_report"),
    path(
        "loketten/<uuid:desk_uuid>/cijfer/<slug:code>/<str:period_label>/",
        views.drilldown,
        name="drilldown",
    ),
    path("loketten/<uuid:desk_uuid>/handmatig/", views.manual_values, name="manual_values"),
    path("loketten/<uuid:desk_uuid>/export.csv", views.export_csv, name="export_csv"),
    path("loketten/<uuid:desk_uuid>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("loketten/<uuid:desk_uuid>/export.pdf", views.export_pdf, name="export_pdf"),
]
