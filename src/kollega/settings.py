"""Kollega's one settings module, read from the environment (12-factor).

Every knob is an environment variable with a sensible default for a single
machine: SQLite in WAL mode under ``KOLLEGA_DATA_DIR``. ``DATABASE_URL``
switches to PostgreSQL.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("KOLLEGA_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use SECRET_KEY from the environment, else one kept in the data folder."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "kollega.tags",
    "kollega.people",
    "kollega.accounts",
    "kollega.network",
    "kollega.posts",
    "kollega.communities",
    "kollega.qa",
    "kollega.expertise",
    "kollega.search",
    "kollega.content.blogs",
    "kollega.content.wikis",
    "kollega.content.bookmarks",
    "kollega.notifications",
    "kollega.permissions",
    "kollega.api",
    "kollega.demo",
    "kollega.web",
    "kollega.ops",
    "kollega.guard",
    "kollega.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kollega.web.middleware.SecurityHeadersMiddleware",
    "kollega.api.middleware.ApiAnswersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kollega.api.idempotency.IdempotencyMiddleware",
    "kollega.people.middleware.PersonLanguageMiddleware",
    "kollega.web.middleware.RefuseNulMiddleware",
    "kollega.people.middleware.PersonSeenMiddleware",
    "kollega.accounts.middleware.SessionSeenMiddleware",
    "kollega.web.middleware.SignInRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kollega.urls"
WSGI_APPLICATION = "kollega.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kollega.web.context.navigation",
                "kollega.web.context.limits",
            ],
            # {% form_once %} in every template: a form's one-time token (kollega.web.once).
            "builtins": ["kollega.web.templatetags.form_once"],
        },
    },
]

# Each web thread keeps its connection for ten minutes. With 60 s every thread of a
# server reconnected in the same second once a minute (they all connected at start): about
# 10 ms each for the connection and more for a new backend's empty catalogue caches, in the
# middle of the requests that paid for it. The health check (one `SELECT 1` when a request
# first uses the connection) turns a connection the database dropped meanwhile into a
# reconnect instead of an error.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'kollega.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE transactions and a
    # busy timeout turn lock contention into a short wait instead of an error.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000; PRAGMA mmap_size=268435456;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if env_bool("KOLLEGA_TESTING", False) else 600

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Django's password check, throttled against guessing (kollega.accounts.signin).
AUTHENTICATION_BACKENDS = ["kollega.accounts.backends.ThrottledModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = os.environ.get("KOLLEGA_LANGUAGE", "en")
LANGUAGES = [("en", _("English")), ("sv", _("Swedish")), ("nb", _("Norwegian Bokmål"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Stockholm")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# Production serves hashed, compressed files that `kollega serve` collects into
# STATIC_ROOT at start; DEBUG serves the app folders as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "kollega.ops.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Requests up to 8 MiB reach the services, whose own limits (a 500 KB wiki page, a
# 5,000-character post) answer with a message saying which limit and where; above
# this, Django refuses the request before any code of ours runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("KOLLEGA_MAX_REQUEST_BYTES", 8 * 1024 * 1024))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# What a browser may load and run on our pages (web/middleware.py sends both):
# scripts and styles only from our own static files, no inline code or `style=`
# attributes (every handler lives in static/kollega/kollega.js), images from here
# (avatars, photos, attachments) or data: URLs, never a frame of us elsewhere.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
# Browser features no page of Kollega uses, switched off for every page.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation",
        "gyroscope", "magnetometer", "microphone", "midi", "payment", "usb",
        "xr-spatial-tracking",
    )
)  # fmt: skip
# HTTPS hardening, each opt-in from the environment (see docs/operations.md).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# How many reverse proxies in front of Kollega append the client's address to
# X-Forwarded-For (0: ignore the header, a client could write anything there).
KOLLEGA_TRUSTED_PROXIES = int(os.environ.get("KOLLEGA_TRUSTED_PROXIES", "0"))
# A web server in front that sends checked files itself (kollega.web.files).
KOLLEGA_SENDFILE_HEADER = os.environ.get("KOLLEGA_SENDFILE_HEADER", "").strip().lower()
KOLLEGA_SENDFILE_PREFIX = os.environ.get("KOLLEGA_SENDFILE_PREFIX", "").strip()

# Project code names the share guard warns about (blocks for the whole organisation).
KOLLEGA_GUARD_CODE_NAMES = env_list("KOLLEGA_GUARD_CODE_NAMES", "")
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    # Only behind a proxy that sets X-Forwarded-Proto and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Background tasks: run at once in the request (the default, and the tests), or
# queued in the database for `kollega worker` (KOLLEGA_TASKS_BACKEND=database).
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_task_backend = os.environ.get("KOLLEGA_TASKS_BACKEND", "immediate")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS.get(_task_backend, _task_backend)}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Product limits (lengths, counts, page sizes) are in one place, `kollega.limits`, so
# services, forms and the API agree.
