"""Comptoir settings: everything comes from the environment, with safe defaults for the demo.

`COMPTOIR_ENV=production` turns the defaults into production ones: a `SECRET_KEY` must be
given, cookies are secure and HTTPS is enforced.
"""

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("COMPTOIR_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("COMPTOIR_ENV", "development") == "production"
DEBUG = env_bool("DEBUG")


def _secret_key() -> str:
    """Production must be given its key; the demo keeps a generated one under var/."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when COMPTOIR_ENV=production.")
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# A family's grid posts up to 30 × 30 cells to /cart/add-all/ (a SKU, a quantity and a unit
# each, up to the quick order's 1,000 lines), and its back office form as many inline rows
# of six fields: Django's default of 1,000 fields refused both whole (a 400). The request's
# size stays bounded by DATA_UPLOAD_MAX_MEMORY_SIZE.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    # django-ninja's own copy of Swagger UI for /api/v1/docs (else it loads it from a CDN,
    # with an inline script that the Content Security Policy blocks).
    "ninja",
    "comptoir.core",
    "comptoir.accounts",
    "comptoir.customers",
    "comptoir.catalog",
    "comptoir.pricing",
    "comptoir.tax",
    "comptoir.payments",
    "comptoir.ordering",
    "comptoir.bundle",
    "comptoir.teams",
    "comptoir.lists",
    "comptoir.approvals",
    "comptoir.quotes",
    "comptoir.credits",
    "comptoir.returns",
    "comptoir.webhooks",
    "comptoir.integrations",
    "comptoir.sales",
    "comptoir.storefront",
]

MIDDLEWARE = [
    "comptoir.core.request_log.RequestLogMiddleware",
    "comptoir.core.outages.DatabaseOutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "comptoir.core.csp.ConstantCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "comptoir.api.language.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "comptoir.storefront.access.StorefrontAccessMiddleware",
    "comptoir.sales.acting.ActingMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "comptoir.urls"
WSGI_APPLICATION = "comptoir.wsgi.application"
ASGI_APPLICATION = "comptoir.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "comptoir" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'comptoir.sqlite3'}"
    # Production keeps each worker's connection open (a new one per request made pages 1.6
    # to 1.8 times slower, bench/README.md "Throughput") and checks it before a request
    # reuses it: a connection that a database restart broke is replaced, not used.
    conn_max_age = int(os.environ.get("CONN_MAX_AGE", "60" if PRODUCTION else "0"))
    config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.postgresql":
        # The same backend, whose health check polls the socket before it asks the server
        # (comptoir/core/postgresql/base.py).
        config["ENGINE"] = "comptoir.core.postgresql"
        # JIT compilation costs more than it saves on short OLTP queries (25 ms measured on
        # the price-list lookup of a catalogue page, see bench/README.md).
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if config["NAME"] != ":memory:":
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


DATABASES = {"default": _database()}
# The statements every request runs are prepared on the PostgreSQL server once per connection
# (comptoir/core/postgresql/base.py); off behind a pooler that cannot keep them.
PREPARED_STATEMENTS = os.environ.get("DATABASE_PREPARED_STATEMENTS", "1") != "0"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")


def _languages() -> list[tuple[str, str]]:
    """The storefront's languages, which are also the catalogue's content languages (issue
    20): English and French, whose interface is translated, plus those COMPTOIR_LANGUAGES
    names (e.g. `en,fr,de`), whose buyers read the catalogue's translations in an English
    interface."""
    from django.conf.locale import LANG_INFO

    languages = [("en", _("English")), ("fr", _("French"))]
    for code in env_list("COMPTOIR_LANGUAGES", ""):
        code = code.lower()
        if code not in LANG_INFO or "name" not in LANG_INFO[code]:
            raise ImproperlyConfigured(f"COMPTOIR_LANGUAGES: {code} is not a language code.")
        if code not in dict(languages):
            languages.append((code, LANG_INFO[code]["name"]))
    return languages


LANGUAGES = _languages()
LOCALE_PATHS = [BASE_DIR / "comptoir" / "locale"]
FORMAT_MODULE_PATH = ["comptoir.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Production serves `collectstatic`'s output through WhiteNoise; elsewhere WhiteNoise (and
# runserver) read the apps' static folders directly, so there is nothing to collect.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or (BASE_DIR / "staticfiles" if PRODUCTION else None)
WHITENOISE_USE_FINDERS = not PRODUCTION
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# Product pictures are public (catalog.models.product_media): served at MEDIA_URL by
# `comptoir.catalog.media.serve` (docs/deployment.md, "Product pictures"), or by the proxy in
# front from this folder.
MEDIA_ROOT = Path(os.environ.get("PUBLIC_MEDIA_ROOT", VAR_DIR / "public"))
MEDIA_URL = "/media/"
# A store bundle in a zip (docs/bundle.md, "Zip archives"): at most this many entries, and
# this many bytes once unpacked, as the archive declares them.
BUNDLE_ZIP_MAX_ENTRIES = int(os.environ.get("BUNDLE_ZIP_MAX_ENTRIES", 200_000))
BUNDLE_ZIP_MAX_BYTES = int(os.environ.get("BUNDLE_ZIP_MAX_BYTES", 20 * 1024**3))
STORAGES = {
    # Uploaded documents: no URL, served only by views that check the company (core/storage.py).
    "default": {
        "BACKEND": "comptoir.core.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    # Production serves hashed, compressed files (after `collectstatic`) through WhiteNoise.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# E-mails go to the console by default; EMAIL_HOST switches to SMTP, EMAIL_BACKEND to anything.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "comptoir@localhost")

# Online check of EU VAT numbers for the reverse charge (comptoir/tax/vies.py): off by default.
VIES_CHECK = env_bool("VIES_CHECK")
VIES_URL = os.environ.get(
    "VIES_URL", "https://ec.europa.eu/taxation_customs/vies/rest-api/check-vat-number"
)
VIES_TIMEOUT = float(os.environ.get("VIES_TIMEOUT", "3"))

# Webhooks (comptoir/webhooks): seconds a receiver has to answer, and whether endpoints may
# be plain http (never in production unless set: signed bodies still travel in clear).
WEBHOOK_TIMEOUT = float(os.environ.get("WEBHOOK_TIMEOUT", "10"))
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", not PRODUCTION)
# Webhooks to loopback, private or link-local addresses (a receiver on the same machine in
# development and tests); refused in production unless allowed (docs/webhooks.md).
WEBHOOK_ALLOW_INTERNAL = env_bool("WEBHOOK_ALLOW_INTERNAL", not PRODUCTION)

# Background tasks (Django tasks API, django-tasks backport): the database backend by default,
# its worker being `manage.py db_worker`; TASKS_BACKEND=rq queues them in Redis (REDIS_URL)
# for `manage.py rqworker default --with-scheduler`; any other value names a backend class.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
        }.get(TASKS_BACKEND, TASKS_BACKEND),
    }
}
# Started once by `manage.py schedule_daily_tasks`; each then re-enqueues itself (daily, or
# every few minutes for the sweep of unsent order confirmations).
RECURRING_TASKS = [
    "comptoir.tax.tasks.daily_certificate_reminders",
    "comptoir.payments.tasks.daily_overdue_invoices",
    "comptoir.customers.tasks.nightly_segmentation",
    "comptoir.ordering.tasks.sweep_unsent_confirmations",
    "comptoir.approvals.tasks.daily_approval_expiry",
    "comptoir.quotes.tasks.daily_quote_expiry",
    "comptoir.webhooks.tasks.sweep_deliveries",
]
REDIS_URL = os.environ.get("REDIS_URL", "")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
    # rqworker must run jobs with django-tasks-rq's job class: rq's own calls the Task
    # object itself and every task fails ("'Task' object is not callable").
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}

# Local memory by default. With REDIS_URL: Redis for the cache, and sessions in the database
# read through the cache. A Redis outage is ignored (the cache is bypassed): the store keeps
# selling and no session is lost.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Login throttling (django-axes): an e-mail and address pair is locked for 15 minutes after
# 5 failures. Its records live in the database; `manage.py axes_reset` clears them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend reading the company, group and cart count with the user (issue 14)
    "comptoir.storefront.auth_backend.BuyerBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Locks are lifted with `manage.py axes_reset_username EMAIL` (or expire by themselves).
AXES_ENABLE_ADMIN = False
AXES_LOCKOUT_CALLABLE = "comptoir.accounts.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "comptoir.accounts.lockout.lockout_username"
AXES_IPWARE_PROXY_COUNT = 1 if env_bool("BEHIND_PROXY") else None

# Content Security Policy (django-csp): scripts and styles from this site only; the admin
# needs inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Where e-mails sent by background tasks link to (a request gives it to the others).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

LOGIN_URL = "storefront:login"
LOGIN_REDIRECT_URL = "storefront:home"
LOGOUT_REDIRECT_URL = "storefront:home"

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_PROXY = env_bool("BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TOKEN_REQUESTS_PER_MINUTE = int(os.environ.get("TOKEN_REQUESTS_PER_MINUTE", "20"))

# One JSON line per request (`comptoir.request`, with its request id) and per log record.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "comptoir.core.request_log.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}},
}
