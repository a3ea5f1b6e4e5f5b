"""Settings for the partnerships map, read from the environment.

One module for every environment. `DJANGO_ENV` picks `development` (the default),
`test` (chosen automatically under pytest) or `production`; the differences between them
are the few explicit `if` blocks at the end.
"""

import os
import re
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from api_core.clients import parse_trusted_proxies

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = os.environ.get("DJANGO_ENV") or ("test" if "pytest" in sys.modules else "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be development, test or production, not {ENVIRONMENT!r}"
    )

DEBUG = env_bool("DEBUG", default=ENVIRONMENT == "development")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Which X-Forwarded-For hops to believe (api_core/clients.py): none by default,
# a count of our reverse proxies, or a comma-separated list of their addresses/networks.
try:
    TRUSTED_PROXIES = parse_trusted_proxies(os.environ.get("TRUSTED_PROXIES", ""))
except ValueError as error:
    raise ImproperlyConfigured(
        "TRUSTED_PROXIES must be empty, a number of proxies, or comma-separated addresses "
        f"or networks: {error}"
    ) from error

if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. `scripts/run` and `scripts/test` set it for the embedded "
        "database; to run manage.py yourself, first `. .local/env`."
    )
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"],
        engine="django.contrib.gis.db.backends.postgis",
        # Reuse connections: a new one per request (with SCRAM authentication) costs more
        # than most API responses. gunicorn's sync workers hold one each (bounded by the
        # worker count); the development server runs a thread per request, so there each
        # connection closes with its request, or 16 clients exhaust PostgreSQL's slots.
        conn_max_age=0 if "runserver" in sys.argv else int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        # No "SELECT 1" before each request's first query: public answers check their
        # connection's socket for the data version's notifications, which also shows a
        # connection a database restart broke (api_core.data_version); form posts and the
        # admin check theirs before the view runs (partnerships.connections).
        conn_health_checks=False,
    )
}
# "transaction" when DATABASE_URL names a pooler in transaction mode (PgBouncer, see
# deploy/): a connection's session is not its own between transactions, so no LISTEN (the
# data version is read again every second instead, api_core.data_version) and no
# server-side cursors. The worker, beat and migrations connect to PostgreSQL directly.
DATABASE_POOLER = os.environ.get("DATABASE_POOLER", "")
if DATABASE_POOLER not in {"", "transaction"}:
    raise ImproperlyConfigured(
        f'DATABASE_POOLER must be empty or "transaction", not {DATABASE_POOLER!r}'
    )
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASE_POOLER == "transaction"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# The cache (API throttling counters) uses its own Redis database, never Celery's.
REDIS_CACHE_URL = os.environ.get("REDIS_CACHE_URL") or re.sub(r"(/\d*)?$", "/1", REDIS_URL, count=1)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "corsheaders",
    "rest_framework",
    "rest_framework_gis",
    "rest_framework_api_key",
    "drf_spectacular_sidecar",
    "django_filters",
    "drf_spectacular",
    "leaflet",
    "django_celery_beat",
    "simple_history",
    "axes",
    "csp",
    "api_core",
    "geodata",
    "partnerships",
]

MIDDLEWARE = [
    # Outermost: no answer that is someone's own is ever marked for a shared cache.
    "api_core.shared_caches.NothingPersonalIsShared",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    # Static files from gunicorn itself, compressed and (outside DEBUG) hashed, cached forever.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A GET answered before (same address, same data version) is answered from here, as
    # close to a static file as reading the data version allows.
    "api_core.kept_answers.KeptAnswerMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "partnerships_map.middleware.RejectNulBytes",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout answer.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses any login attempt for a locked-out account or client.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin login lockout: after AXES_FAILURE_LIMIT failures for one account, or from one
# client, further attempts are refused for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "api_core.clients.client_ip"
AXES_RESET_ON_SUCCESS = True

# Content-Security-Policy: scripts only from our own files, never inline (a page's data
# travels in json_script blocks, which are not scripts). The one exception is the admin's
# map widget, whose script carries a per-request nonce. Style attributes are allowed
# (bar widths); style sheets only from our files. Map tiles from MAP_TILE_URL's host.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")


def tile_source(url):
    """The CSP source of a tile URL template: its scheme and host (`{s}` subdomains: *)."""
    match = re.match(r"(https?://[^/]+)", url or "")
    return match.group(1).replace("{s}", "*") if match else None


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:", *filter(None, [tile_source(MAP_TILE_URL)])],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "partnerships_map.urls"
WSGI_APPLICATION = "partnerships_map.wsgi.application"

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
                "partnerships_map.context_processors.map_settings",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed copies made by collectstatic (scripts/run, the Docker image);
    # tests and the development server (DEBUG) use the source files as they are.
    "staticfiles": {
        "BACKEND": "partnerships_map.storage.StaticFilesStorage"
        if not DEBUG and ENVIRONMENT != "test"
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Redis for what every web process shares; short timeouts, so a Redis outage never hangs
# a request (the callers fail open).
REDIS_CACHE = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": REDIS_CACHE_URL,
    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Answers kept per data version (api_core.kept_answers), in each web process; a new
    # version means new keys, so nothing stale is ever served.
    "answers": {
        "BACKEND": "api_core.kept_answers.MemoryCache",
        "LOCATION": "answers",
        "TIMEOUT": 3600,
        "OPTIONS": {
            "MAX_ENTRIES": 5000,
            "MAX_BYTES": int(os.environ.get("KEPT_ANSWERS_MAX_MB", "64")) << 20,
        },
    },
    # Those answers at addresses no query string can multiply (pages, files, API lists at
    # fixed addresses) shared by every web process, so each is built once per data
    # version, not once per worker, with their build locks; keys name their version, so
    # old ones expire.
    "shared_answers": {**REDIS_CACHE, "KEY_PREFIX": "answers", "TIMEOUT": 3600},
    # API throttling counters, shared by every web process.
    "throttle": {**REDIS_CACHE, "KEY_PREFIX": "throttle"},
}
# After a change, the last complete shared answer is given while a worker builds the new
# one, for at most this many seconds; a request then waits for the build (at most
# KEPT_ANSWER_WAIT seconds, then the last complete answer again); a build holding its lock
# longer than KEPT_ANSWER_BUILD_SECONDS is taken to have died.
KEPT_ANSWER_MAX_STALE = float(os.environ.get("KEPT_ANSWER_MAX_STALE", "60"))
KEPT_ANSWER_WAIT = float(os.environ.get("KEPT_ANSWER_WAIT", "20"))
KEPT_ANSWER_BUILD_SECONDS = int(os.environ.get("KEPT_ANSWER_BUILD_SECONDS", "300"))
# How much lower the Celery worker's CPU priority is than the web processes' (nice(1)).
WORKER_NICENESS = int(os.environ.get("WORKER_NICENESS", "10"))
# A web process gives a last complete answer again before routing for this many seconds,
# then asks Redis whether the new one is built.
KEPT_ANSWER_STALE_RECHECK = float(os.environ.get("KEPT_ANSWER_STALE_RECHECK", "1"))
# After a change the worker builds at most this many shared answers, those visitors asked
# for most lately first (see docs/benchmarks.md for what a rebuild costs).
KEPT_ANSWER_REBUILD_MOST = int(os.environ.get("KEPT_ANSWER_REBUILD_MOST", "600"))
# The code release kept answers name (api_core.release): a deployment's own name for it, or
# empty for a fingerprint of the code, templates and static files.
RELEASE = os.environ.get("RELEASE", "")
# How long a shared cache in front (the caching proxy, deploy/nginx) may give a kept answer
# without asking again (`s-maxage`); it then revalidates with the answer's ETag. A data
# change reaches visitors behind the proxy within this many seconds (plus the rebuild).
PROXY_CACHE_SECONDS = int(os.environ.get("PROXY_CACHE_SECONDS", "10"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "partnerships-map@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")

# Basemap tiles (MAP_TILE_URL, read above for the CSP). Empty means no basemap: the map
# still draws every boundary.
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (52.8, -1.6),
    "DEFAULT_ZOOM": 6,
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 16,
    "TILES": [("Basemap", MAP_TILE_URL, {"attribution": MAP_TILE_ATTRIBUTION})]
    if MAP_TILE_URL
    else [],
    "RESET_VIEW": False,
}

# A verified API key is trusted for this long in each web process before it is checked
# again (a revocation in the admin takes effect at once in its own process).
API_KEY_TRUST_SECONDS = float(os.environ.get("API_KEY_TRUST_SECONDS", "5"))
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": ["api_core.auth.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api_core.throttles.AnonymousThrottle",
        "api_core.throttles.ApiKeyThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "120/min"),
        "api_key": os.environ.get("API_KEY_RATE", "3000/min"),
        # Pages and files rendered (not answered from a kept copy) for one client.
        "renders": os.environ.get("PAGE_RENDER_RATE", "300/min"),
    },
    "DEFAULT_PAGINATION_CLASS": "api_core.pagination.Pagination",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api_core.renderers.ContentNegotiation",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "URL_FORMAT_OVERRIDE": "format",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "England's education partnerships map: API",
    "DESCRIPTION": (
        "Read-only open data: local authorities, area-based education partnerships, "
        "schools and trusts. Published data only; no personal data. Anonymous use is "
        "rate-limited; [how to get an API key, and the limits](/data/api/). "
        "Partnership data: CC BY 4.0; boundaries and register data: Open Government "
        "Licence v3.0."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    # Deep links put a link inside each operation's button (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api_core.schema.describe_geojson_responses",
        "api_core.schema.describe_error_responses",
        "api_core.schema.describe_nul_refusal",
    ],
}
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
# Redis down must not hang a web request. Publishing fails fast (short timeouts, no
# retries); what was to be sent waits in the database (the outbox) and beat sends it once
# Redis is back. Nobody reads task results, so publishing never touches the result
# backend (with results on, a publish subscribes to it and retries 20 times: 19 s).
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    "max_retries": 0,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 0}}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = 5
# The worker and beat are another matter: they wait for Redis as long as it takes. Only
# they read these (the web processes never consume), so the fail-fast options above stay
# for publishing, while a worker that loses Redis reconnects, forever, every 2 to 30 s.
# partnerships_map/celery.py works around the celery 5.7.0 crash on that path.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A task with acks_late that was running when Redis went away is given back to the queue
# and cancelled here, not finished unacknowledged (Celery 6's default).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# The school register (DfE "Get Information About Schools") and its daily refresh.
GIAS_BASE_URL = os.environ.get(
    "GIAS_BASE_URL", "https://ea-edubase-backend-prod.azurewebsites.net/edubase/"
)
GIAS_DAYS_TO_TRY = int(os.environ.get("GIAS_DAYS_TO_TRY", "7"))
GIAS_CONNECT_TIMEOUT = float(os.environ.get("GIAS_CONNECT_TIMEOUT", "10"))
GIAS_READ_TIMEOUT = float(os.environ.get("GIAS_READ_TIMEOUT", "120"))
# Extracts uploaded in the admin wait here for the Celery worker (a folder both can reach).
IMPORT_UPLOAD_DIR = Path(os.environ.get("IMPORT_UPLOAD_DIR", BASE_DIR / ".local" / "uploads"))
IMPORT_UPLOAD_MAX_MB = int(os.environ.get("IMPORT_UPLOAD_MAX_MB", "200"))
# A crontab (minute hour day-of-month month day-of-week), in TIME_ZONE; empty disables it.
GIAS_REFRESH_SCHEDULE = os.environ.get("GIAS_REFRESH_SCHEDULE", "30 7 * * *")
CELERY_BEAT_SCHEDULE = {}
if GIAS_REFRESH_SCHEDULE:
    try:
        _minute, _hour, _day, _month, _weekday = GIAS_REFRESH_SCHEDULE.split()
    except ValueError as error:
        raise ImproperlyConfigured(
            f"GIAS_REFRESH_SCHEDULE must have 5 crontab fields, not {GIAS_REFRESH_SCHEDULE!r}"
        ) from error
    CELERY_BEAT_SCHEDULE["refresh-schools"] = {
        "task": "geodata.tasks.refresh_schools",
        "schedule": crontab(
            minute=_minute,
            hour=_hour,
            day_of_month=_day,
            month_of_year=_month,
            day_of_week=_weekday,
        ),
    }

# Suggestions and moderation.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
MODERATORS_GROUP = "Moderators"
MODERATOR_EMAILS = env_list("MODERATOR_EMAILS")
SUGGESTION_RETENTION_DAYS = int(os.environ.get("SUGGESTION_RETENTION_DAYS", "90"))
# Suggestions accepted an hour, counted per client address (a school or council network may
# share one, so the ceiling is generous) and per submitter email (one person).
SUGGESTIONS_PER_ADDRESS_PER_HOUR = int(os.environ.get("SUGGESTIONS_PER_ADDRESS_PER_HOUR", "30"))
SUGGESTIONS_PER_EMAIL_PER_HOUR = int(os.environ.get("SUGGESTIONS_PER_EMAIL_PER_HOUR", "10"))
# Where the public pages (contact, privacy, accessibility) tell people to write; optional.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "")
# Who is responsible for the personal data the site keeps (UK GDPR's data controller), and
# its postal address, named on the contact and privacy pages; set by whoever runs the site.
DATA_CONTROLLER_NAME = os.environ.get("DATA_CONTROLLER_NAME", "")
DATA_CONTROLLER_ADDRESS = os.environ.get("DATA_CONTROLLER_ADDRESS", "")
# Where the About page says the source code is (AGPL-3.0, section 13); optional.
SOURCE_CODE_URL = os.environ.get("SOURCE_CODE_URL", "")
# Who runs the service, as the home and About pages name them ("Run by ..."), and where the
# beta banner's feedback link goes (empty: the contact page).
SERVICE_OWNER = os.environ.get("SERVICE_OWNER", "") or "an open-data project"
FEEDBACK_URL = os.environ.get("FEEDBACK_URL", "")
CELERY_BEAT_SCHEDULE["send-outbox"] = {
    "task": "partnerships.tasks.send_outbox",
    "schedule": 60.0,
}
# Source link health: every cited address checked weekly (Monday 04:30), a few at a time.
LINK_CHECK_WORKERS = int(os.environ.get("LINK_CHECK_WORKERS", "8"))
LINK_CHECK_TIMEOUT = float(os.environ.get("LINK_CHECK_TIMEOUT", "15"))
CELERY_BEAT_SCHEDULE["check-source-links"] = {
    "task": "partnerships.tasks.check_source_links",
    "schedule": crontab(minute=30, hour=4, day_of_week=1),
}
# Email alerts: the daily digest of approved changes, and unconfirmed addresses forgotten.
CELERY_BEAT_SCHEDULE["send-alert-digests"] = {
    "task": "partnerships.tasks.send_alert_digests",
    "schedule": crontab(minute=0, hour=7),
}
CELERY_BEAT_SCHEDULE["forget-unconfirmed-subscriptions"] = {
    "task": "partnerships.tasks.forget_unconfirmed_subscriptions",
    "schedule": crontab(minute=45, hour=3),
}
CELERY_BEAT_SCHEDULE["erase-personal-data"] = {
    "task": "partnerships.tasks.erase_personal_data",
    "schedule": crontab(minute=15, hour=3),
}

# Debian 12's GDAL 3.6 is older than Django 5.2 prefers, and works for what we do.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

if ENVIRONMENT == "development" and not SECRET_KEY:
    SECRET_KEY = "development-only-not-secret"

if ENVIRONMENT == "test":
    SECRET_KEY = SECRET_KEY or "test-only-not-secret"
    DEBUG = False
    MAP_TILE_URL = ""
    LEAFLET_CONFIG["TILES"] = []
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Tests see a change at once; the tests of stale answers and render limits set these.
    KEPT_ANSWER_MAX_STALE = 0
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["renders"] = "100000/min"

if ENVIRONMENT == "production":
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    ALLOWED_HOSTS.append("127.0.0.1")  # the container's own health check
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    # HTTPS only: plain-HTTP requests are redirected (except the container's own health
    # check), and browsers are told to use HTTPS for a year (HSTS).
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    # Both affect every other site under the domain: the operator's decision, off unless
    # asked for (which is why their deploy-check warnings are silenced when off).
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
    if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
        SILENCED_SYSTEM_CHECKS.append("security.W005")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")
