"""Settings shared by every environment, read from the environment (12-factor).

The embedded default needs nothing running: SQLite and Celery tasks executed in-process.
`DATABASE_URL` switches to PostgreSQL (psycopg 3) and `REDIS_URL` to a real Celery broker.
Every variable is listed in README.md ("Configuration").
"""
from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


# ------------------------------------------------------------------------------------------------
# Core
# https://docs.djangoproject.com/en/5.2/ref/settings/#core-settings
# ------------------------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", False)
# An insecure key is only acceptable for local development; production.py insists on a real one.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-local-development-key-change-me-0123456789")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

ROOT_URLCONF = "trygga_platser.urls"
WSGI_APPLICATION = "trygga_platser.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # The core every domain app leans on.
    "trygga_platser.accounts",
    "trygga_platser.tenancy",
    "trygga_platser.notifications",
    "trygga_platser.reports",
    "trygga_platser.pages",
    "trygga_platser.audit",
    # Domain apps.
    "projects",
    "surveys",
    "analysis",
    "actionplans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "trygga_platser.accounts.middleware.RequireMfaMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# ------------------------------------------------------------------------------------------------
# Database: SQLite by default, PostgreSQL through DATABASE_URL
# https://github.com/jazzband/dj-database-url
# ------------------------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}

# ------------------------------------------------------------------------------------------------
# Accounts and authentication (django-allauth)
# https://docs.allauth.org/en/latest/account/configuration.html
# ------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "pages:home"
ACCOUNT_ADAPTER = "trygga_platser.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_FORMS = {"login": "trygga_platser.accounts.forms.LoginForm"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# People join by invitation, which proves the address; allauth must not send its own verification.
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Trygga Platser] "
# Login rate limits: allauth's defaults, spelled out so they are visible and tunable.
# https://docs.allauth.org/en/latest/account/rate_limits.html
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
# Behind a load balancer the client address is taken from X-Forwarded-For, trusting exactly this
# many proxies; 0 (the default) uses REMOTE_ADDR. Set it to the number of proxies you run, or rate
# limits either lump every client together or can be dodged with a forged header.
# https://docs.allauth.org/en/latest/common/configuration.html
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)
# Submits through a survey's public link, per client and survey ("30/h": 30 an hour; "" = no limit):
# ballot stuffing is slowed without storing addresses (surveys/ratelimit.py: an HMAC-keyed cache counter).
SURVEY_SUBMIT_RATE = os.environ.get("SURVEY_SUBMIT_RATE", "30/h")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Trygga Platser"
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)

# ------------------------------------------------------------------------------------------------
# Cache (allauth's rate limits count here): Redis when REDIS_URL is set
# https://docs.djangoproject.com/en/5.2/topics/cache/
# ------------------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tp",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# ------------------------------------------------------------------------------------------------
# Internationalisation: Swedish first, English available
# https://docs.djangoproject.com/en/5.2/topics/i18n/
# ------------------------------------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# ------------------------------------------------------------------------------------------------
# Static and uploaded files
# https://whitenoise.readthedocs.io/en/stable/django.html
# ------------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads are checked by content and size (SPEC §12.6); the proxy in front must allow at least these.
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 10 * 1024 * 1024)
PARTNERSHIP_DOCUMENT_MAX_BYTES = env_int("PARTNERSHIP_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024  # the non-file part of a request

# ------------------------------------------------------------------------------------------------
# E-mail: every message goes through the outbox (trygga_platser.notifications)
# https://docs.djangoproject.com/en/5.2/topics/email/
# ------------------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Trygga Platser <noreply@trygga-platser.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Outbox retries: attempts in all, and the first back-off in seconds (doubled each time).
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 5)
OUTBOX_RETRY_BACKOFF = env_int("OUTBOX_RETRY_BACKOFF", 60)

# ------------------------------------------------------------------------------------------------
# Celery: Redis broker from REDIS_URL, otherwise tasks run in-process
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
# ------------------------------------------------------------------------------------------------
REPORT_SOFT_TIME_LIMIT = env_int("REPORT_SOFT_TIME_LIMIT", 240)
REPORT_TIME_LIMIT = REPORT_SOFT_TIME_LIMIT + 30
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
# A task is acknowledged after it ran, and requeued when its worker dies: every task is written to
# be safe to run twice (it re-reads its row and returns if the work is done).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Redis redelivers unacknowledged messages after the visibility timeout: it must exceed the
# longest task (and any countdown/ETA), or a long report would run twice at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": max(3600, REPORT_TIME_LIMIT * 4)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Keep our JSON logging in the worker instead of Celery's own root handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Periodic jobs (SPEC §10). Domain apps add theirs here; each task is idempotent per day or row.
CELERY_BEAT_SCHEDULE: dict = {
    "reports-sweep": {"task": "trygga_platser.reports.tasks.reports_sweep", "schedule": 15 * 60},
    # Reminders the day before a meeting (SPEC §3.6, §10), each keyed per participant and day.
    "projects.meeting-reminders": {"task": "projects.tasks.meeting_reminders", "schedule": crontab(hour=7, minute=0)},
    # Due-soon and overdue reminders to the responsible person (SPEC §7.4), keyed per action, kind and day.
    "actionplans.action-reminders": {"task": "actionplans.tasks.action_reminders",
                                     "schedule": crontab(hour=7, minute=15)},
    # Weekly digest to project coordinators, Monday mornings, keyed per user and ISO week.
    "actionplans.weekly-digests": {"task": "actionplans.tasks.weekly_digests",
                                   "schedule": crontab(hour=7, minute=30, day_of_week="mon")},
    # Survey invitations of surveys opening today and reminders to non-respondents (SPEC §5.2), keyed
    # per invitation and reminder number.
    "surveys.survey-reminders": {"task": "surveys.tasks.survey_reminders", "schedule": crontab(hour=8, minute=0)},
}

# ------------------------------------------------------------------------------------------------
# Security headers and Content Security Policy (django-csp 4)
# https://django-csp.readthedocs.io/en/latest/configuration.html
# ------------------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx sends the token from hx-headers, not the cookie.
# Background map tiles for the interactive maps, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png
# with its attribution. Empty (the default) shows maps without a background and fetches nothing.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
_tile_origin = ""
if MAP_TILE_URL:
    from urllib.parse import urlsplit

    _parts = urlsplit(MAP_TILE_URL.replace("{s}", "a"))
    _tile_origin = f"{_parts.scheme}://{_parts.netloc}"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # htmx is configured not to inject its indicator <style>; no inline styles are needed.
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"] + ([_tile_origin] if _tile_origin else []),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# ------------------------------------------------------------------------------------------------
# Logging: one JSON object a line on stdout (python-json-logger)
# https://docs.djangoproject.com/en/5.2/topics/logging/
# ------------------------------------------------------------------------------------------------
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "INFO")
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}
