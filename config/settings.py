"""Salkku settings. Every deploy-time value comes from the environment (see README)."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import environ
import plotly
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=true for local development)."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks_db",
    # The project's apps, lowest layer first (each imports only those listed before it).
    "core",
    "accessibility",
    "accounts",
    "portfolio",
    "funding",
    "network",
    "vuosikello",
    "dashboards",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Holds a password sign-in at the code page until the two-factor code is given.
    "accounts.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: it signs out a session past its limits and says why.
    "accounts.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Database: PostgreSQL in deployment (DATABASE_URL=postgres://...), a SQLite file otherwise.
SQLITE_OPTIONS = {
    # IMMEDIATE takes the write lock when a transaction starts, so two writers queue up
    # behind the busy timeout instead of one failing with "database is locked" mid-way.
    "transaction_mode": "IMMEDIATE",
    "timeout": 10,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}
DATABASE_URL = env.str("DATABASE_URL", default="")
if DATABASE_URL:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    # Tests use a file too: concurrent moves must be tried against real SQLite locking,
    # which an in-memory database does not have.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# New passwords (reset, change, the admin) are checked; existing ones are never re-checked,
# so the demo users' shorter published password keeps working.
PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=12)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Who may sign in, and how: django-axes first, as it refuses a locked-out login before the
# password is even checked; each optional way of signing in appends its backend.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LoginLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A password reset link works this long, and once.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_HOURS", default=24) * 3600
# Reset mails an hour to one address, and from one sender's address (0: no limit).
PASSWORD_RESET_MAILS_PER_HOUR = env.int("PASSWORD_RESET_MAILS_PER_HOUR", default=3)

# Sessions are rows in the database, so any web host can serve any request of a session
# (Django's default, stated here because several hosts depend on it).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Signed-in sessions (accounts.middleware): signed out after this long without a request,
# and this long after logging in whatever the activity. 0 turns a limit off.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=120)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=12)
# The session record and its cookie last no longer than a session may.
if SESSION_MAX_HOURS:
    SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600

# Two-factor sign-in with an authenticator app (TOTP, django-otp): anyone may turn it on for
# themselves; when required, staff and project managers without it are sent to set it up.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)
# The name the authenticator app shows for the account.
OTP_TOTP_ISSUER = env.str("TWO_FACTOR_ISSUER", default="Salkku")

# Single sign-on with the organisation's identity provider (OpenID Connect, e.g. Microsoft
# Entra ID): off unless a client id is given (accounts/oidc.py, README "Single sign-on").
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
# The provider's discovery document fills in any endpoint left empty below.
OIDC_OP_DISCOVERY_URL = env.str("OIDC_OP_DISCOVERY_URL", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
# When set, an ID token from any other issuer is refused.
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
OIDC_USE_PKCE = env.bool("OIDC_USE_PKCE", default=True)
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
# The claim that lists the user's groups or roles, and which of its values make a project
# manager or a funder. A user whose claim names neither gets no role.
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups")
OIDC_MANAGER_GROUPS = env.list("OIDC_MANAGER_GROUPS", default=[])
OIDC_FUNDER_GROUPS = env.list("OIDC_FUNDER_GROUPS", default=[])
# The login page's button reads "Sign in with <this>".
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="your organisation")
if OIDC_ENABLED:
    if not OIDC_OP_DISCOVERY_URL and not (
        OIDC_OP_AUTHORIZATION_ENDPOINT
        and OIDC_OP_TOKEN_ENDPOINT
        and (OIDC_OP_JWKS_ENDPOINT or OIDC_RP_SIGN_ALGO.startswith("HS"))
    ):
        raise ImproperlyConfigured(
            "OIDC_RP_CLIENT_ID is set: give OIDC_OP_DISCOVERY_URL, or the authorization, "
            "token and JWKS endpoints."
        )
    AUTHENTICATION_BACKENDS.append("accounts.oidc.OidcBackend")

# Finnish first, English complete; times stored in UTC and shown in Helsinki time.
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Helsinki")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# plotly.js is served from the plotly package itself, never from a CDN.
STATICFILES_DIRS = [BASE_DIR / "static", Path(plotly.__file__).parent / "package_data"]
# Stored files (STORAGES["default"]). Everything the app keeps today is in the database
# (import workbooks and reports are BinaryFields), so nothing is written here yet; a
# deployment on several hosts still points it at one shared place, S3-compatible storage
# through django-storages (`pip install ".[s3]"`), before any file lands on one host's disk.
# STORAGE_OPTIONS are the backend's own options as JSON, e.g. {"bucket_name": "salkku"}.
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage")
try:
    STORAGE_OPTIONS = env.json("STORAGE_OPTIONS", default={})
except ValueError as error:  # json.JSONDecodeError: say which variable, not just where
    raise ImproperlyConfigured(f"STORAGE_OPTIONS is not valid JSON: {error}") from None
if not isinstance(STORAGE_OPTIONS, dict):
    raise ImproperlyConfigured(
        'STORAGE_OPTIONS must be a JSON object, e.g. {"bucket_name": "salkku"}.'
    )
STORAGES = {
    "default": {"BACKEND": STORAGE_BACKEND, "OPTIONS": STORAGE_OPTIONS},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Where `manage.py backup` writes when no --output is given. The database holds everything
# (stored files too), so its backup is a complete one.
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")
MEDIA_URL = "media/"

# Security. Deployments sit behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Cookies go over HTTPS only. Turning these off is for a plain-HTTP test on 127.0.0.1 (the
# load test) and nothing else; `check --deploy` warns when they are off.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # plotly positions its hover labels with inline styles.
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# The client's address, as login limits, API throttles and the security log see it. A
# deployment sits behind this many proxies, each appending the address it was reached from
# to X-Forwarded-For; the client is that many places from the right. 0: no proxy, the
# connection's own address (REMOTE_ADDR). Too high lets a client choose its address by
# sending the header itself; too low makes every client share the proxy's address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0 if DEBUG else 1)

# Failed logins (django-axes), on the login page and the admin's alike. A user name is
# locked after AXES_FAILURE_LIMIT failures from anywhere (a guesser with many addresses),
# and an address after as many failures whatever the names (one guesser trying many users),
# for AXES_COOLOFF_MINUTES after the latest failure; each further failure starts the wait
# again. Administrators see and lift lockouts in the admin ("Access attempts").
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
# 0: locked until an administrator lifts the lock.
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15)) or None
# "username", "ip_address" or both joined by "+" (one count per pair), comma-separated.
AXES_LOCKOUT_PARAMETERS = [
    item.split("+") if "+" in item else item
    for item in env.list("AXES_LOCKOUT_PARAMETERS", default=["username", "ip_address"])
]
# Failures are counted in the database (django-axes' default handler, stated here because
# several workers and hosts depend on it): a guesser cannot spread tries over workers.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "core.security_log.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Successful logins go to the security log; the database keeps only the failures, and
# those only until their cool-off has passed.
AXES_DISABLE_ACCESS_LOG = True
# A success does not clear the failures: it would let anyone with an account reset the
# count of the address they guess from.
AXES_RESET_ON_SUCCESS = False

MAILERS = {
    "default": {
        "BACKEND": env.str(
            "EMAIL_BACKEND",
            default="django.core.mail.backends."
            + ("console.EmailBackend" if DEBUG else "smtp.EmailBackend"),
        ),
        "OPTIONS": env.json("EMAIL_OPTIONS", default={}),
    }
}
# EMAIL_URL (smtp+tls://user:password@host:587, consolemail://…) names the backend and its
# options in one value; when it is set it wins over EMAIL_BACKEND and EMAIL_OPTIONS.
if env.str("EMAIL_URL", default=""):
    _email = env.email_url("EMAIL_URL")
    MAILERS["default"] = {
        "BACKEND": _email.pop("EMAIL_BACKEND"),
        "OPTIONS": {
            option: _email[key]
            for key, option in (
                ("EMAIL_HOST", "host"),
                ("EMAIL_PORT", "port"),
                ("EMAIL_HOST_USER", "username"),
                ("EMAIL_HOST_PASSWORD", "password"),
                ("EMAIL_USE_TLS", "use_tls"),
                ("EMAIL_USE_SSL", "use_ssl"),
                ("EMAIL_FILE_PATH", "file_path"),
            )
            if _email.get(key) not in ("", None, False)
        },
    }
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="salkku@localhost")

REST_FRAMEWORK = {
    # A token first, so an anonymous request gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Filters and pages are set on core.api.ApiViewSet: DRF reads these
    # defaults while it imports, before the project's API code can be imported.
    "DEFAULT_PERMISSION_CLASSES": ["portfolio.api.permissions.PortfolioPermission"],
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's JSON parser with a nesting limit (JSON_BODY_MAX_DEPTH below).
    "DEFAULT_PARSER_CLASSES": ["core.request_bodies.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # ?format= is the event list's filter, not a choice of response format.
    "URL_FORMAT_OVERRIDE": None,
    # Per user (token or session) and, for anonymous requests, per address: 429 with
    # Retry-After beyond the rate. The rates are API_THROTTLE_RATES (core.throttles reads them
    # on each request).
    "DEFAULT_THROTTLE_CLASSES": ["core.throttles.UserThrottle", "core.throttles.AnonThrottle"],
}

# "<requests>/<second|minute|hour|day>"; empty for no limit. 300 a minute lets a script page
# through 60 000 rows a minute (200 a page) and is far beyond what a person's browser sends,
# yet holds a runaway script or a fuzzer to a small share of one worker. Anonymous requests
# only ever get 401 or the schema: 60 a minute from one address is plenty for a misconfigured
# client and keeps a flood of token guesses from costing a database look-up each.
API_THROTTLE_RATES = {
    "user": env.str("API_THROTTLE_USER", default="300/minute") or None,
    "anon": env.str("API_THROTTLE_ANON", default="60/minute") or None,
}

# Background tasks (django.tasks): reports made from the page, import checks and
# confirmations, and the reminders are enqueued in the database and run by the worker
# (`manage.py db_worker`, the Procfile's worker; `make run` starts one). The test suite runs
# them immediately (tests/conftest.py); TASKS_BACKEND may name another backend.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# The cache holds counts that must hold across every worker and host: the API throttles and
# the password reset mail limits. The default is a table in the database (core.CacheEntry,
# made by `migrate`), which every process already shares: nothing more to run or deploy.
# It costs a few queries per API request; a busy site sets CACHE_URL=redis://… instead
# (Django's own Redis backend, `pip install redis`). A process-local cache (locmemcache://,
# filecache://, dummycache://) would let a client get workers × hosts × the rate, and
# `check --deploy` warns of it. Another dbcache:// table needs `manage.py createcachetable`.
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://salkku_cache")}

# Personal API tokens (django-rest-knox): only a hash is stored; each expires.
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# knox's own migrations would still create its unused token table.
MIGRATION_MODULES = {"knox": None}
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
# Request bodies: over this size a body is refused (413) before it is read; lists and
# objects nested deeper than this in a JSON body are refused (400). No request the app
# makes nests past 3 levels; Python's own parser gives out near 1000.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
JSON_BODY_MAX_DEPTH = env.int("JSON_BODY_MAX_DEPTH", default=32)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_DAYS),
    "TOKEN_PREFIX": "salkku_",
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Salkku API",
    "DESCRIPTION": (
        "The project portfolio of a regional industry network: ideas, their consortia, "
        "funding applications and implementation, roadshow events and organisations. "
        "Authenticate with a personal token (header `Authorization: Token <token>`) or the "
        "browser session. Money is in euros as decimal strings; times are ISO 8601."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"Stage": "portfolio.stages.Stage"},
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# Log lines never carry a calendar feed key or a token-like query value (config.log_redaction):
# the filter sits on the console handler, which every propagated record reaches, and on the
# loggers that write request paths ("Not Found: /calendar/feed/…"), so Django's own handlers
# (the console with DEBUG, mail to ADMINS) get the redacted record too.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "config.log_redaction.RedactSecretsFilter"}},
    "formatters": {"bare": {"format": "%(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
        # Security events (core.security_log): one key=value line each, to stderr, for the
        # operator's log shipper.
        "security": {
            "class": "logging.StreamHandler", "formatter": "bare", "filters": ["redact_secrets"]
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"filters": ["redact_secrets"]},
        "django.server": {"handlers": ["console"], "filters": ["redact_secrets"], "propagate": False},
        "salkku.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
        # django-axes tells of every attempt at INFO; the security log already does.
        "axes": {"level": "WARNING"},
    },
}

# The network's own facts: the leverage figure and "since the network started" use them.
NETWORK_NAME = env.str("NETWORK_NAME", default="SIXNET")
NETWORK_OWN_FUNDING = Decimal(env.str("NETWORK_OWN_FUNDING", default="260000"))
NETWORK_BUDGET = Decimal(env.str("NETWORK_BUDGET", default="325000"))
NETWORK_START_DATE = date.fromisoformat(env.str("NETWORK_START_DATE", default="2022-01-01"))
# The network's own funding period ends here: the leverage figure's default window is
# NETWORK_START_DATE..NETWORK_END_DATE.
NETWORK_END_DATE = date.fromisoformat(env.str("NETWORK_END_DATE", default="2023-12-31"))


def _optional_date(name: str) -> date | None:
    value = env.str(name, default="")
    return date.fromisoformat(value) if value else None


# An optional follow-on funding window, offered as a further leverage window when both ends
# are given.
NETWORK_FOLLOW_ON_START = _optional_date("NETWORK_FOLLOW_ON_START")
NETWORK_FOLLOW_ON_END = _optional_date("NETWORK_FOLLOW_ON_END")
# The partner regions (Statistics Finland codes): Pirkanmaa, Etelä-Pohjanmaa, Keski-Suomi,
# Pohjois-Pohjanmaa and Kanta-Häme. The dashboard and the idea list filter to them in one click.
NETWORK_REGIONS = env.list("NETWORK_REGIONS", default=["06", "14", "13", "17", "05"])
# An idea in the idea, consortium or application stage with no move and no edit for this
# many days is stalled (portfolio/stalled.py). Implementation is not judged by it.
STALE_AFTER_DAYS = env.int("STALE_AFTER_DAYS", default=60)
# An implementation is stalled when its planned end has passed without completion; when this
# is above 0, also when its implementation record has not changed for this many days.
IMPLEMENTATION_STALE_AFTER_DAYS = env.int("IMPLEMENTATION_STALE_AFTER_DAYS", default=0)
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="salkku-demo")

# Spreadsheet import of ideas and organisations (portfolio.imports). The size is checked
# before anything opens the file, the rows are counted while it is read, and the archive's
# declared contents are checked before openpyxl unpacks it.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=2000)
IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_BYTES", default=100 * 1024 * 1024)
# Each part of the workbook (a sheet, the shared strings, the styles…) is weighed before
# openpyxl reads it, against what IMPORT_MAX_ROWS rows can need: its unpacked size, the
# cells in it and the shared strings in all (portfolio.imports.reading.part_limits).
IMPORT_MAX_PART_BYTES_PER_ROW = env.int("IMPORT_MAX_PART_BYTES_PER_ROW", default=8 * 1024)
IMPORT_MAX_CELLS_PER_ROW = env.int("IMPORT_MAX_CELLS_PER_ROW", default=50)
# The import is the app's only upload: no file is written to disk past IMPORT_MAX_BYTES.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "portfolio.imports.uploads.CappedTemporaryFileUploadHandler",
]
# An upload that was previewed but never confirmed is deleted after this many hours.
IMPORT_KEEP_UNCONFIRMED_HOURS = env.int("IMPORT_KEEP_UNCONFIRMED_HOURS", default=24)

# The quarterly report is due this many days after each quarter ends (the calendar shows it,
# and project managers are reminded of it).
REPORT_DUE_DAYS = env.int("REPORT_DUE_DAYS", default=30)
# Who `quarterly_report --mail` sends the report to (the funder's contact, the steering
# group): comma-separated addresses. Empty: the command refuses to mail rather than guess.
REPORT_RECIPIENTS = env.list("REPORT_RECIPIENTS", default=[])
# Reminders look this many days ahead for call deadlines and the report's due date.
REMINDER_DAYS = env.int("REMINDER_DAYS", default=14)
# The address people open Salkku at: links in reminder mails, which have no request to go by.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
