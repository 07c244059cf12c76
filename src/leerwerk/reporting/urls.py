from django.urls import path

from leerwerk.reporting import views, views_national, views_rules, views_splits

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
    path("loketten/<uuid:desk_uuid>/uitsplitsing/", views_splits.split_page, name="desk_split"),
    # the national overview (aggregates only)
    path("landelijk/", views_national.national_overview, name="national_overview"),
    path("landelijk/export.csv", views_national.national_export_csv, name="national_export_csv"),
    path("landelijk/export.xlsx", views_national.national_export_xlsx, name="national_export_xlsx"),
    path("landelijk/export.pdf", views_national.national_export_pdf, name="national_export_pdf"),
    path("landelijk/uitsplitsing/", views_splits.split_page, name="national_split"),
    # the counting rules (telregels): read by all staff, maintained by the national team
    path("telregels/", views_rules.rules_list, name="rules_list"),
    path("telregels/nieuw/", views_rules.rules_draft_create, name="rules_draft_create"),
    path("telregels/<int:number>/", views_rules.rules_detail, name="rules_detail"),
    path(
        "telregels/<int:number>/cijfers/nieuw/",
        views_rules.rules_figure_create,
        name="rules_figure_create",
    ),
    path(
        "telregels/<int:number>/cijfers/<slug:code>/",
        views_rules.rules_figure_update,
        name="rules_figure_update",
    ),
    path(
        "telregels/<int:number>/cijfers/<slug:code>/verwijderen/",
        views_rules.rules_figure_delete,
        name="rules_figure_delete",
    ),
    path("telregels/<int:number>/publiceren/", views_rules.rules_publish, name="rules_publish"),
    path(
        "telregels/<int:number>/verwijderen/",
        views_rules.rules_draft_delete,
        name="rules_draft_delete",
    ),
]
