"""Settings for the test suite: the production settings with fast hashing and plain static
files (no collectstatic needed). DATABASE_URL still selects PostgreSQL or SQLite."""

from leerwerk.conf.settings import *  # noqa: F403
from leerwerk.conf.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LEERWERK_LOGIN_MAX_FAILURES = 5
# Audit events in the test transaction, so each test sees only its own (the rollback test
# in core/tests/test_audit.py switches the separate connection on).
LEERWERK_AUDIT_OWN_CONNECTION = False
# Visit counting adds a query to every public page; the portal's own tests switch it on.
LEERWERK_COUNT_VISITS = False
