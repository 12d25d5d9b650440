"""Settings shared by every environment; values come from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Return the boolean value of environment variable name."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Return the comma-separated environment variable name as a list."""
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


def postgresql_options(environ=os.environ) -> dict:
    """Return the OPTIONS of a PostgreSQL database.

    Parameters are bound by the server, and a statement run five times on a
    connection is prepared: PostgreSQL then parses and plans it once instead
    of on every request (the pool page's six queries took 1.1 ms of database
    time instead of 2.1; issue 7, make bench-flow). A PgBouncer in
    transaction mode without ``max_prepared_statements`` can't keep prepared
    statements: set DATABASE_PREPARE_THRESHOLD to an empty value behind one.
    """
    value = environ.get("DATABASE_PREPARE_THRESHOLD", "5").strip()
    try:
        threshold = int(value) if value else None
    except ValueError:
        raise ImproperlyConfigured(
            "DATABASE_PREPARE_THRESHOLD must be a whole number or empty, "
            f"not {value!r}."
        ) from None
    return {"server_side_binding": True, "prepare_threshold": threshold}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "poolconsole.core",
    "poolconsole.tenants",
    "poolconsole.audit",
    "poolconsole.credentials",
    "poolconsole.pools",
    "poolconsole.provisioning",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that it wraps the view alone: it resolves the tenant from the
    # URL, checks the membership and role, and enters the django-scopes scope.
    "poolconsole.tenants.middleware.TenantMiddleware",
]

ROOT_URLCONF = "poolconsole.urls"
WSGI_APPLICATION = "poolconsole.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "poolconsole.tenants.context_processors.tenants",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(postgresql_options())
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dashboard read while a create attempt writes; IMMEDIATE
    # transactions take the write lock up front, so concurrent writers queue
    # instead of failing with "database is locked".
    # Connections are kept (CONN_MAX_AGE) as on PostgreSQL: a new one per
    # request made SQLite parse the schema again, 1 to 3 ms of every page
    # under gunicorn (make bench).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user with their memberships.
    "poolconsole.tenants.backends.MembershipModelBackend",
]

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Widgets render through Django's own Jinja2 widget templates: the same HTML
# at a third of the cost (the design page renders 48 widgets; issue 7).
FORM_RENDERER = "django.forms.renderers.Jinja2"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}

# The client's address (the audit trail, login throttling) is the last entry
# of X-Forwarded-For only behind a proxy that appends it (production); without
# one, anyone could write that header.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)

# Login throttling: lock a username from one address after repeated failures,
# the client's address as the audit trail sees it (not the proxy's).
AXES_CLIENT_IP_CALLABLE = "poolconsole.core.http.client_ip"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Nothing loads from anywhere but this origin: no CDN, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# Secrets of AWS connections: comma-separated Fernet keys, newest first.
POOLCONSOLE_ENCRYPTION_KEYS = env_list("POOLCONSOLE_ENCRYPTION_KEYS")

# Custom endpoint URLs (emulators such as moto or LocalStack) a connection may
# use, comma-separated. Requests carry credentials (for assume-role,
# poolconsole's own), so by default a connection reaches AWS's endpoints only.
POOLCONSOLE_ENDPOINT_URLS = env_list("POOLCONSOLE_ENDPOINT_URLS")

# The local Cognito emulator that `make run` starts (moto's server).
SANDBOX_ENDPOINT_URL = os.environ.get("SANDBOX_ENDPOINT_URL", "http://127.0.0.1:5055")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # botocore logs request bodies and signed headers at DEBUG: never lower these.
        "botocore": {"level": "WARNING"},
        "boto3": {"level": "WARNING"},
        "urllib3": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
    },
}
