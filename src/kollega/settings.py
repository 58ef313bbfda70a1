"""Kollega's one settings module, read from the environment (12-factor).

Every knob is an environment variable with a sensible default for a single
machine: SQLite in WAL mode under ``KOLLEGA_DATA_DIR``. ``DATABASE_URL``
switches to PostgreSQL.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
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
    "kollega.mail",
    "kollega.digests",
    "kollega.permissions",
    "kollega.api",
    "kollega.demo",
    "kollega.web",
    "kollega.ops",
    "kollega.guard",
    "kollega.public",
    "kollega.audit",
    "kollega.listening",
    "kollega.insights",
    "kollega.recommendations",
    "kollega.provisioning",
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
    "kollega.audit.middleware.AuditContextMiddleware",
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
            "builtins": [
                "kollega.web.templatetags.form_once",
                "kollega.guard.templatetags.classification",
            ],
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

# The password policy, wherever a password is set (`kollega createadmin`, the admin).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's password check, throttled against guessing (kollega.accounts.signin), and
# the company's OpenID Connect provider (kollega.accounts.oidc), which the sign-in
# page offers once OIDC_ISSUER is set (docs/identity.md).
AUTHENTICATION_BACKENDS = [
    "kollega.accounts.backends.ThrottledModelBackend",
    "kollega.accounts.backends.OIDCBackend",
]
# Local passwords: `on`, or `off` for everyone but the break-glass administrators.
KOLLEGA_LOCAL_PASSWORDS = env_bool("KOLLEGA_LOCAL_PASSWORDS", True)
KOLLEGA_BREAK_GLASS_USERS = [name.lower() for name in env_list("KOLLEGA_BREAK_GLASS_USERS", "")]
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
OIDC_CLAIM_USERNAME = os.environ.get("OIDC_CLAIM_USERNAME", "preferred_username")
OIDC_CLAIM_EMAIL = os.environ.get("OIDC_CLAIM_EMAIL", "email")
OIDC_CLAIM_NAME = os.environ.get("OIDC_CLAIM_NAME", "name")


def oidc_origin(issuer: str) -> str:
    """The scheme and host of the provider (`https://login.example.com`), or ""."""
    parts = urlsplit(issuer)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# A subject not yet known: create a person (true), and/or link an existing person
# not yet linked, by `username` or `email` (or `none`); otherwise refused.
OIDC_CREATE_PEOPLE = env_bool("OIDC_CREATE_PEOPLE", False)
OIDC_LINK_BY = os.environ.get("OIDC_LINK_BY", "none").strip().lower()
# The directory sync (`kollega directory sync`, docs/identity.md): where the LDAP or
# Active Directory server is, how to bind, what to read and how its attributes map.
KOLLEGA_LDAP_URL = os.environ.get("KOLLEGA_LDAP_URL", "")
KOLLEGA_LDAP_BIND_DN = os.environ.get("KOLLEGA_LDAP_BIND_DN", "")
KOLLEGA_LDAP_BIND_PASSWORD = os.environ.get("KOLLEGA_LDAP_BIND_PASSWORD", "")
KOLLEGA_LDAP_START_TLS = env_bool("KOLLEGA_LDAP_START_TLS", False)
KOLLEGA_LDAP_BASE_DN = os.environ.get("KOLLEGA_LDAP_BASE_DN", "")
KOLLEGA_LDAP_FILTER = os.environ.get(
    "KOLLEGA_LDAP_FILTER", "(&(objectCategory=person)(objectClass=user))"
)
KOLLEGA_LDAP_ATTRIBUTES = os.environ.get("KOLLEGA_LDAP_ATTRIBUTES", "")
KOLLEGA_LDAP_PAGE_SIZE = int(os.environ.get("KOLLEGA_LDAP_PAGE_SIZE", "500"))
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
        # Signing out posts here and is sent on to the company sign-in's
        # end_session_endpoint, which the browser checks against form-action too.
        f"form-action 'self' {oidc_origin(OIDC_ISSUER)}".strip(),
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

# Public pages: a person's profile and Open blog entries readable without signing in,
# for the people an administrator chose (docs/public.md). Off: every page needs sign-in.
KOLLEGA_PUBLIC_PAGES = env_bool("KOLLEGA_PUBLIC_PAGES", False)

# Project code names the share guard warns about (blocks for the whole organisation).
KOLLEGA_GUARD_CODE_NAMES = env_list("KOLLEGA_GUARD_CODE_NAMES", "")
# The administrator's names for the classification levels, per language (JSON; docs/guard.md).
KOLLEGA_CLASSIFICATION_NAMES = os.environ.get("KOLLEGA_CLASSIFICATION_NAMES", "")

# Days the audit trail keeps its entries (0: forever); older ones are purged daily.
KOLLEGA_AUDIT_RETENTION_DAYS = int(os.environ.get("KOLLEGA_AUDIT_RETENTION_DAYS", "730"))
# Routed questions wait working hours (HH-HH, Monday to Friday, each recipient's time
# zone) before going on to the next people; nobody is sent more than the cap a day.
KOLLEGA_WORKING_HOURS = os.environ.get("KOLLEGA_WORKING_HOURS", "08-17")
KOLLEGA_ROUTING_DAILY_CAP = int(os.environ.get("KOLLEGA_ROUTING_DAILY_CAP", "3"))
# Listening may fetch from loopback, private and link-local addresses: `true`, or some networks.
KOLLEGA_LISTENING_ALLOW_PRIVATE = os.environ.get("KOLLEGA_LISTENING_ALLOW_PRIVATE", "false")
# Seconds a person's recommendations (home page, profile, digest) are kept before they
# are worked out again; 0 works them out on every request (recommendations/services.py).
KOLLEGA_RECOMMENDATIONS_CACHE_SECONDS = int(
    os.environ.get("KOLLEGA_RECOMMENDATIONS_CACHE_SECONDS", "300")
)
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

# Outbound mail (kollega.mail, docs/mail.md): Django's SMTP backend with Django's own
# setting names. Without EMAIL_HOST each message is written to a file under
# KOLLEGA_DATA_DIR/mail instead, so `make run` works with no mail server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT") or 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# A server that accepts the connection and then says nothing must not hold a worker
# for ever: the attempt fails after this many seconds and is retried later.
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kollega@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
# The public address every link in a mail starts with.
KOLLEGA_SITE_URL = os.environ.get("KOLLEGA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Answer by replying (docs/mail.md): the address replies go to, e.g.
# reply@intranet.example.com; each notification mail about one question or post gets
# Reply-To: reply+TOKEN@intranet.example.com. Unset: no Reply-To, replies are not read.
KOLLEGA_REPLY_ADDRESS = os.environ.get("KOLLEGA_REPLY_ADDRESS", "").strip()

# The hour (0-23, each person's own time zone) at which digests go out (docs/digests.md).
KOLLEGA_DIGEST_HOUR = int(os.environ.get("KOLLEGA_DIGEST_HOUR", "7"))
if not 0 <= KOLLEGA_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured(f"KOLLEGA_DIGEST_HOUR must be 0-23, not {KOLLEGA_DIGEST_HOUR}.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Product limits (lengths, counts, page sizes) are in one place, `kollega.limits`, so
# services, forms and the API agree.
