"""The citizen's pages, under /mijn/."""

from django.urls import path

from leerwerk.mijn import views, views_auth, views_dossier

app_name = "mijn"

urlpatterns = [
    path("", views.overview, name="overview"),
    # account, sign-in, new password
    path("account-maken/", views_auth.signup, name="signup"),
    path("account-maken/verstuurd/", views_auth.signup_sent, name="signup_sent"),
    path("bevestigen/<str:token>/", views_auth.verify, name="verify"),
    path("inloggen/", views_auth.login, name="login"),
    path("inloggen/link/", views_auth.login_link, name="login_link"),
    path("inloggen/link/verstuurd/", views_auth.login_link_sent, name="login_link_sent"),
    path("inloggen/link/<str:token>/", views_auth.login_link_use, name="login_link_use"),
    path("wachtwoord-vergeten/", views_auth.password_reset, name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        views_auth.password_reset_sent,
        name="password_reset_sent",
    ),
    path(
        "wachtwoord-vergeten/<str:token>/",
        views_auth.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("uitloggen/", views_auth.logout, name="logout"),
    path("uitgelogd/", views_auth.logged_out, name="logged_out"),
    # the adviser's invitation
    path("uitnodiging/bevestigen/", views_auth.invitation_confirm, name="invitation_confirm"),
    path("uitnodiging/<str:token>/", views_auth.invitation, name="invitation"),
    # profile
    path("gegevens/", views.profile, name="profile"),
    path("gegevens/e-mailadres/", views.email_change, name="email_change"),
    path(
        "gegevens/e-mailadres/<str:token>/",
        views.email_change_confirm,
        name="email_change_confirm",
    ),
    path("gegevens/wachtwoord/", views.password_change, name="password_change"),
    # self-tests, training offers, appointments, consent
    path("zelftesten/", views.selftest_list, name="selftests"),
    path(
        "zelftesten/<uuid:session_uuid>/verwijderen/",
        views.selftest_remove,
        name="selftest_remove",
    ),
    path("opleidingen/", views.saved_offers, name="saved_offers"),
    path("opleidingen/<uuid:offer_uuid>/bewaren/", views.saved_offer_add, name="saved_offer_add"),
    path(
        "opleidingen/<uuid:offer_uuid>/verwijderen/",
        views.saved_offer_remove,
        name="saved_offer_remove",
    ),
    path("afspraken/", views.appointments, name="appointments"),
    path("toestemming/", views.consents, name="consents"),
    # messages and development plan (from the dossier app, when it is there)
    path("berichten/", views_dossier.messages_page, name="messages"),
    path(
        "berichten/<uuid:trajectory_uuid>/",
        views_dossier.message_thread,
        name="message_thread",
    ),
    path("ontwikkelplan/", views_dossier.plans, name="plans"),
    path("ontwikkelplan/<uuid:plan_uuid>.pdf", views_dossier.plan_pdf, name="plan_pdf"),
    # data-subject rights
    path("gegevens-downloaden/", views.export, name="export"),
    path("gegevens-downloaden/mijn-gegevens.json", views.export_json, name="export_json"),
    path("account-verwijderen/", views.delete, name="delete"),
    path(
        "account-verwijderen/<str:token>/",
        views.delete_confirm_link,
        name="delete_confirm_link",
    ),
    path("account-verwijderd/", views.deleted, name="deleted"),
]
