"""Django settings for pmo, configured from the environment.

DATABASE_URL  default: SQLite file under the data directory (PMO_DATA_DIR, default ./var of the checkout)
SECRET_KEY    required when DEBUG is off (the server refuses the built-in development key)
ALLOWED_HOSTS comma-separated, default "127.0.0.1,localhost"
DEBUG         "1"/"true" to enable, default off
"""

import datetime as dt
import os
import warnings
from pathlib import Path

import dj_database_url

from pmo.core.oidc_settings import oidc_settings
from pmo.paths import data_dir


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = data_dir()

DEVELOPMENT_SECRET_KEY = "pmo-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = _env_flag("DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "pmo.core",
    "pmo.resources",
    "pmo.portfolio",
    "pmo.planning",
    "pmo.selection",
    "pmo.control",
    "pmo.changes",
    "pmo.risks",
    "pmo.documents",
    "pmo.governance",
    "pmo.knowledge",
    "pmo.stakeholders",
    "pmo.reporting",
    "pmo.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
]

# Content-Security-Policy: scripts only from pmo's own static files (no inline script anywhere), nothing
# loaded from other sites, no framing. Styles allow inline ones: the charts library sets styles at run time
# and the templates set a few CSS variables (bar widths) in style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Sign-in throttling: after 5 failed attempts for one user name from one address, that pair is locked out
# for 15 minutes (a success resets the count). The lock-out page says so; an administrator can lift it
# early with `pmo manage axes_reset_username USERNAME`.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False
# The single sign-on callback is no password attempt: axes leaves it alone (see pmo.core.oidc.axes_exempt).
AXES_WHITELIST_CALLABLE = "pmo.core.oidc.axes_exempt"

# Single sign-on through OpenID Connect, off unless OIDC_RP_CLIENT_ID is set (docs/deployment.md). When on,
# this adds the OIDC_* settings (the provider's endpoints discovered from OIDC_ISSUER at start-up),
# LOGIN_REDIRECT_URL_FAILURE, pmo.core.oidc.OIDCBackend after the backends above, and the provider's
# sign-out origin to the policy's form-action. pmo/core/oidc_settings.py has the variables.
globals().update(oidc_settings(os.environ, backends=AUTHENTICATION_BACKENDS, csp=CONTENT_SECURITY_POLICY))

ROOT_URLCONF = "pmo.urls"
WSGI_APPLICATION = "pmo.wsgi.application"

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
                "pmo.web.context.navigation",
            ],
        },
    },
]

_sqlite_path = DATA_DIR / "pmo.sqlite3"
if not os.environ.get("DATABASE_URL"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # SQLite creates the file, not its folder
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL") or f"sqlite:///{_sqlite_path}", conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE avoids "database is locked" upgrades when several threads write.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("PMO_TEST_SQLITE") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG


def _plotly_assets() -> list[tuple[str, str]]:
    # Plotly's JavaScript ships inside its PyPI wheel; serve it from there rather than committing it.
    import plotly

    return [("vendor/plotly", str(Path(plotly.__file__).parent / "package_data"))]


STATICFILES_DIRS = _plotly_assets()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# Background tasks run inside the request by default (one machine, nothing else to start). With
# TASKS_BACKEND=database they are queued in the database and run by `pmo worker` processes, on this or
# other machines (see docs/deployment.md).
# The executive dashboard and the capacity heat map's inputs are computed once per change of the data
# (pmo.core.freshness) and kept at most this many seconds; 0 turns that off. Each process keeps its own
# (Django's local-memory cache).
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "60"))

TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

NINJA_PAGINATION_PER_PAGE = 50

# The recommended EVM forecast uses the history of closed projects once this many have been measured
# (8: what bench/bench_dslib.py measured the method with).
PMO_REFERENCE_CLASS_MIN_PROJECTS = int(os.environ.get("PMO_REFERENCE_CLASS_MIN_PROJECTS", "8"))

# Set HTTPS=1 (or the older SECURE_COOKIES=1) when pmo is served over HTTPS: cookies only over HTTPS,
# plain HTTP redirected, browsers told to remember it (HSTS). Behind a reverse proxy that terminates TLS,
# also set TRUST_X_FORWARDED_PROTO=1 so that pmo knows the original request was HTTPS.
HTTPS = _env_flag("HTTPS") or _env_flag("SECURE_COOKIES")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and _env_flag("SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if HTTPS else 0
# On by default for a site served only over HTTPS; set HSTS_INCLUDE_SUBDOMAINS=0 / HSTS_PRELOAD=0 when
# other sites of the domain still serve plain HTTP (see docs/deployment.md before turning preload on).
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and _env_flag("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = HTTPS and _env_flag("HSTS_PRELOAD", True)
if _env_flag("TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
# Lax (not Strict): the single sign-on provider sends the browser back to /oidc/callback/ from its own site,
# and that request must carry the session holding the sign-in's state and nonce.
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# E-mail (scheduled reports): written as files under var/mail by default; set EMAIL_HOST (and EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS=1 or EMAIL_USE_SSL=1) to send through SMTP, or
# EMAIL_BACKEND to choose another Django backend (e.g. django.core.mail.backends.console.EmailBackend).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_flag("EMAIL_USE_TLS")
EMAIL_USE_SSL = _env_flag("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "pmo <pmo@localhost>")
# The address of this pmo in e-mails (links to the report archive).
PMO_BASE_URL = os.environ.get("PMO_BASE_URL", "http://localhost:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# WhiteNoise serves from the finders until 'pmo manage collectstatic' fills STATIC_ROOT; no need to warn.
warnings.filterwarnings("ignore", message="No directory at")
