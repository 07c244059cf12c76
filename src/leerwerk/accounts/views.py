from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from leerwerk.accounts.forms import LoginForm, StyledPasswordResetForm, StyledSetPasswordForm
from leerwerk.accounts.second_factor import complete_login


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": _("Inloggen voor medewerkers")}

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        complete_login(self.request, form.get_user())
        return HttpResponseRedirect(self.get_success_url())


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"
    extra_context = {"title": _("U bent uitgelogd")}


class PasswordResetView(auth_views.PasswordResetView):
    form_class = StyledPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_context = {"title": _("Wachtwoord vergeten")}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    extra_context = {"title": _("Controleer uw e-mail")}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = StyledSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {"title": _("Nieuw wachtwoord instellen")}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    extra_context = {"title": _("Wachtwoord gewijzigd")}
