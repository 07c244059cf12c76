"""Numbers and choices of Mijn Leerwerkloket (see docs/mijn.md)."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

#: How long the links in e-mails work.
VERIFY_MAX_AGE = datetime.timedelta(hours=24)  # confirm the e-mail address (sign-up, change)
LOGIN_LINK_MAX_AGE = datetime.timedelta(minutes=15)  # "stuur mij een inloglink", one use
RESET_MAX_AGE = datetime.timedelta(hours=1)  # choose a new password, one use
DELETE_LINK_MAX_AGE = datetime.timedelta(minutes=15)  # confirm deleting the account, one use
INVITE_VALID_DAYS = 14  # an adviser's invitation to link the desk's file
UNCONFIRMED_KEEP_DAYS = 7  # an account never confirmed is removed after this many days

#: Session keys of the citizen's log-in. Separate from the staff log-in (django.contrib.auth).
SESSION_ACCOUNT = "mijn_account"
SESSION_HASH = "mijn_account_hash"
SESSION_INVITE = "mijn_invite"

#: Buckets in ``leerwerk.portal.ratelimit`` (per address hash and per e-mail hash).
RATE_FORMS_PER_ADDRESS = "mijn_address"
RATE_MAIL_PER_EMAIL = "mijn_email"
RATE_LOGIN_PER_ADDRESS = "mijn_login_address"
RATE_LOGIN_PER_EMAIL = "mijn_login_email"


class ErasureOutcome(models.TextChoices):
    ERASED = "erased", _("Dossier geanonimiseerd")
    KEPT = "kept", _("Dossier bewaard (met reden)")
