"""Settings for the partnerships map, read from the environment.

One module for every environment. `DJANGO_ENV` picks `development` (the default),
`test` (chosen automatically under pytest) or `production`; the differences between them
are the few explicit `if` blocks at the end.
"""

import os
import re
import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

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

if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. `make run` and `make test` set it for the embedded "
        "database; to run manage.py yourself, first `. .local/env`."
    )
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"],
        engine="django.contrib.gis.db.backends.postgis",
        # Reuse connections: a new one per request (with SCRAM authentication) costs more
        # than most API responses.
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
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
    "geodata",
    "partnerships",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

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
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # API throttling counters, shared by every web process.
    "throttle": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_CACHE_URL,
        "KEY_PREFIX": "throttle",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "partnerships-map@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")

# Basemap tiles. Empty MAP_TILE_URL means no basemap: the map still draws every boundary.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
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

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": ["partnerships_map.api.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [
        "partnerships_map.api.AnonymousThrottle",
        "partnerships_map.api.ApiKeyThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "120/min"),
        "api_key": os.environ.get("API_KEY_RATE", "3000/min"),
    },
    "DEFAULT_PAGINATION_CLASS": "partnerships_map.api.Pagination",
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
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# Publishing fails fast when Redis is down (the web request must not hang); what was to
# be sent waits in the database (the outbox) and beat sends it once Redis is back.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 3,
    "socket_timeout": 5,
    "max_retries": 0,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 3
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# The school register (DfE "Get Information About Schools") and its daily refresh.
GIAS_BASE_URL = os.environ.get(
    "GIAS_BASE_URL", "https://ea-edubase-backend-prod.azurewebsites.net/edubase/"
)
GIAS_DAYS_TO_TRY = int(os.environ.get("GIAS_DAYS_TO_TRY", "7"))
GIAS_CONNECT_TIMEOUT = float(os.environ.get("GIAS_CONNECT_TIMEOUT", "10"))
GIAS_READ_TIMEOUT = float(os.environ.get("GIAS_READ_TIMEOUT", "120"))
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
# Where the public pages (contact, privacy, accessibility) tell people to write; optional.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "")
CELERY_BEAT_SCHEDULE["send-outbox"] = {
    "task": "partnerships.tasks.send_outbox",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["follow-school-successors"] = {
    "task": "partnerships.tasks.follow_school_successors",
    "schedule": crontab(minute=30, hour=9),
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

if ENVIRONMENT == "production":
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    # gunicorn serves the collected static files itself, compressed and cached forever.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.gzip.GZipMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
    STORAGES["staticfiles"]["BACKEND"] = "partnerships_map.storage.StaticFilesStorage"
    ALLOWED_HOSTS.append("127.0.0.1")  # the container's own health check
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
