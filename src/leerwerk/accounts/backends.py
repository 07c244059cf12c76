from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Log in with the e-mail address, case-insensitively (see UserManager.get_by_natural_key).

    Second-factor log-in for staff will hook in after this backend accepted the password: see
    ``leerwerk.accounts.second_factor``.
    """
