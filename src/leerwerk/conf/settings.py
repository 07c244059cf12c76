"""Settings for Leerwerk.

Everything that differs per installation comes from environment variables (12-factor), with safe
defaults for the embedded mode: SQLite under ``var/``, no other service. See README.md for the list.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent  # src/leerwerk
PROJECT_DIR = BASE_DIR.parent.parent  # repository root
VAR_DIR = Path(os.environ.get("LEERWERK_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else a random key kept in ``var/secret_key``."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
TRUST_X_FORWARDED_FOR = env_bool("LEERWERK_TRUST_X_FORWARDED_FOR", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "leerwerk.core",
    "leerwerk.accounts",
    "leerwerk.network",
    "leerwerk.clients",
    "leerwerk.guidance",
    "leerwerk.reporting",
    "leerwerk.funding",
    "leerwerk.catalogue",
    "leerwerk.agenda",
    "leerwerk.portal",
    "leerwerk.mijn",
    "leerwerk.dossier",
    "leerwerk.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "leerwerk.core.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "leerwerk.portal.middleware.VisitCountMiddleware",
    "leerwerk.portal.middleware.SiteDomainMiddleware",
]

ROOT_URLCONF = "leerwerk.conf.urls"
WSGI_APPLICATION = "leerwerk.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "leerwerk.core.context_processors.site",
            ],
        },
    },
    {
        # Only the catalogue search page's form and results (decision 0007); templates in
        # each app's jinja2/ folder.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "leerwerk.core.jinja_env.environment",
            "context_processors": ["leerwerk.core.context_processors.site"],
        },
    },
]

# Database: DATABASE_URL selects PostgreSQL (postgres://user@host:5432/name); the default is an
# SQLite file under var/ so a newcomer runs the platform with no database server.
DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'leerwerk.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or DEFAULT_SQLITE, conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL;"}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles every large query (≈ 130 ms for a report count) and pays off
    # only for hours-long analytics; off unless asked for (docs/benchmarks.md, reports).
    if not env_bool("LEERWERK_PG_JIT", False):
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (Django's tasks API): durable, in the same database, so a task is enqueued in
# the same transaction as the change that asks for it. `leerwerk db_worker` runs them
# (`make run` starts one beside the web server). Task arguments are ids only, never personal
# data. docs/operations.md, "Background work".
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["leerwerk.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "public:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("LEERWERK_FAST_PASSWORD_HASHER", False):  # tests only: hashing is not under test
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2  # a reset link is valid for two hours

# Failed log-ins per e-mail address and per client address before a cool-down.
LEERWERK_LOGIN_MAX_FAILURES = int(os.environ.get("LEERWERK_LOGIN_MAX_FAILURES", "5"))
LEERWERK_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LEERWERK_LOGIN_LOCKOUT_SECONDS", "900"))

# The public address, for links in e-mails sent outside a request (reminders).
LEERWERK_SITE_URL = os.environ.get("LEERWERK_SITE_URL", "http://127.0.0.1:8000")
# Where uploaded catalogue files wait for their import (default: var/imports).
LEERWERK_CATALOGUE_IMPORT_DIR = os.environ.get(
    "LEERWERK_CATALOGUE_IMPORT_DIR", str(VAR_DIR / "imports")
)
# Rate limits of public forms and endpoints (per client address).
LEERWERK_AGENDA_PUBLIC_LIMIT = int(os.environ.get("LEERWERK_AGENDA_PUBLIC_LIMIT", "10"))
LEERWERK_AGENDA_PUBLIC_WINDOW_SECONDS = int(
    os.environ.get("LEERWERK_AGENDA_PUBLIC_WINDOW_SECONDS", "600")
)
LEERWERK_FUNDING_EVALUATE_RATE = os.environ.get("LEERWERK_FUNDING_EVALUATE_RATE", "30/minute")
# Host names of the national site; any other host is looked up as a desk's own domain.
LEERWERK_NATIONAL_HOSTS = env_list(
    "LEERWERK_NATIONAL_HOSTS", "localhost,127.0.0.1,[::1],testserver"
)

# Sessions and cookies. Behind HTTPS (production) set LEERWERK_HTTPS=true.
HTTPS = env_bool("LEERWERK_HTTPS", False)
SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = HTTPS
CSRF_FAILURE_VIEW = "leerwerk.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("LEERWERK_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("LEERWERK_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# Internationalisation: Dutch first, Europe/Amsterdam.
LANGUAGE_CODE = "nl"
# Dutch only for now: with English listed, a browser asking for English would get English
# number and date formats on Dutch pages. Add languages together with their translations.
LANGUAGES = [("nl", _("Nederlands"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Static files (vendored NL Design System CSS and htmx, served by WhiteNoise).
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]  # src/leerwerk/static: vendored CSS, htmx, our theme
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("LEERWERK_MANIFEST_STATIC", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# E-mail: printed to the console unless EMAIL_URL-like settings are given.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Leerwerkloket <noreply@localhost>")

# Cache: local memory by default (used for log-in throttling); REDIS_URL for several processes.
if redis_url := os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    # Sessions read from the shared cache, written through to the database: one query less
    # per request. Only with a cache all processes share (a per-process cache would keep a
    # logged-out session alive in the other processes).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "leerwerk.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "leerwerk.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "leerwerk.api.schema.LeerwerkAutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("LEERWERK_API_ANON_RATE", "120/minute")},
    "EXCEPTION_HANDLER": "leerwerk.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Leerwerk API",
    "DESCRIPTION": "API of the Leerwerk platform for the leerwerkloketten. Public read endpoints "
    "for the network (regions, municipalities, desks, locations); desk-scoped endpoints for staff "
    "and partner clients with a token (`Authorization: Token <token>`).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}

# Logging: one JSON object per line on stderr, never personal data (see docs/operations.md).
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "leerwerk.core.logging.RedactPersonalDataFilter"}},
    "formatters": {"json": {"()": "leerwerk.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
    },
}
