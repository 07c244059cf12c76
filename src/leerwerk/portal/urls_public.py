"""Public pages of the portal (mounted at the site root). The regional home itself keeps its
URL name ``public:desk_detail`` (network/urls_public.py) and is rendered by
``portal.views_public.regional_home``."""

from django.urls import path

from leerwerk.portal import views_public as views

app_name = "portal_public"

urlpatterns = [
    path("loketten/<slug:slug>/terugbellen/", views.callback, name="callback"),
    path("loketten/<slug:slug>/terugbellen/verstuurd/", views.callback_sent, name="callback_sent"),
    path("loketten/<slug:slug>/zelftesten/", views.selftest_index, name="desk_selftest_index"),
    path(
        "loketten/<slug:slug>/zelftesten/<str:kind>/",
        views.selftest_intro,
        name="desk_selftest_intro",
    ),
    path("zelftesten/", views.selftest_index, name="selftest_index"),
    path("zelftesten/verder/", views.selftest_resume, name="selftest_resume"),
    path("zelftesten/verder/<str:token>/", views.selftest_resume_link, name="selftest_resume_link"),
    path(
        "zelftesten/test/<uuid:session_uuid>/deel/<int:page>/",
        views.selftest_page,
        name="selftest_page",
    ),
    path(
        "zelftesten/test/<uuid:session_uuid>/bewaard/", views.selftest_saved, name="selftest_saved"
    ),
    path(
        "zelftesten/test/<uuid:session_uuid>/uitslag/",
        views.selftest_result,
        name="selftest_result",
    ),
    path(
        "zelftesten/test/<uuid:session_uuid>/uitslag.pdf",
        views.selftest_result_pdf,
        name="selftest_result_pdf",
    ),
    path("zelftesten/test/<uuid:session_uuid>/delen/", views.selftest_share, name="selftest_share"),
    path("zelftesten/<str:kind>/", views.selftest_intro, name="selftest_intro"),
]
