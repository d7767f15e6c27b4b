"""Django settings for Zhengtong.

Everything is configured by environment so one code base serves the embedded
default (SQLite, no other services) and production (PostgreSQL, Redis):

- ``ZT_DATA_DIR``: where the installation writes (database, media, logs,
  secrets, collected static files). Default ``./var`` beside the code.
- ``DATABASE_URL``: e.g. ``postgres://user@host:5432/zhengtong``; unset means
  SQLite in WAL mode inside ``ZT_DATA_DIR``.
- ``REDIS_URL``: e.g. ``redis://127.0.0.1:6379/0``; turns on the Redis cache,
  cache-backed sessions and the Redis (RQ) task queue.
- ``ZT_ENV=production``: DEBUG off, secure cookies, HSTS, hosts from
  ``ZT_ALLOWED_HOSTS`` (comma separated).
- ``ZT_PAGE_CACHE_SECONDS``: how long a rendered public page may be kept for
  anonymous visitors (default 300; publishing shows at once anyway); 0 turns
  the page cache off.
- ``ZT_SERVE_MEDIA``: serve uploaded media from Django (default on unless
  production; behind nginx let nginx serve ``ZT_DATA_DIR/media``).
- ``ZT_EMAIL_HOST`` (with ``ZT_EMAIL_PORT``, ``ZT_EMAIL_USER``,
  ``ZT_EMAIL_PASSWORD``, ``ZT_EMAIL_TLS``, ``ZT_EMAIL_SSL``,
  ``ZT_EMAIL_FROM``): the SMTP server for review notifications; unset, mail
  is written as files to ``ZT_DATA_DIR/mail`` so nothing is lost.
"""

import os
from pathlib import Path

import dj_database_url

from zhengtong.secrets import load_or_create_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ZT_DATA_DIR", BASE_DIR / "var")).resolve()
for sub in ("media", "logs", "static", "cache", "mail"):
    (DATA_DIR / sub).mkdir(parents=True, exist_ok=True)

ZT_ENV = os.environ.get("ZT_ENV", "development")
PRODUCTION = ZT_ENV == "production"
DEBUG = os.environ.get("ZT_DEBUG", "") == "1" and not PRODUCTION

SECRET_KEY = load_or_create_secret_key(DATA_DIR / "secrets")

if PRODUCTION:
    ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ZT_ALLOWED_HOSTS", "").split(",") if h.strip()]
else:
    ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "zhengtong.core",
    "zhengtong.portal",
    "zhengtong.search",
    "zhengtong.audit",
    "zhengtong.core.pagecache.PageCacheConfig",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "zhengtong.core.apps.StaffUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: it stores responses with every header the others add (security headers included) and answers
    # hits without running them; zhengtong/wsgi.py answers the same hits before Django (pagecache docstring).
    "zhengtong.core.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhengtong.audit.middleware.CurrentRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "zhengtong.urls"
WSGI_APPLICATION = "zhengtong.wsgi.application"

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
                "wagtail.contrib.settings.context_processors.settings",
                "zhengtong.portal.context_processors.display_mode",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            "OPTIONS": {
                # WAL lets the web workers read while the worker writes.
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=10000;"
                    "PRAGMA foreign_keys=ON;"
                    # Read the database through the OS page cache, shared by every process, instead
                    # of copying pages into each connection's small cache: search reads many pages.
                    "PRAGMA mmap_size=1073741824;"
                    "PRAGMA cache_size=-16000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, tasks -----------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        },
        # Rendered public pages (zhengtong.core.pagecache): own key prefix, every entry with a timeout.
        "pages": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "zt-pages",
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    # A file cache is shared by every process on the server (web workers and the worker), so a change
    # cached by one (e.g. Wagtail's site list after a site is edited) is seen by all; per-process memory is not.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": DATA_DIR / "cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        # Rendered public pages (zhengtong.core.pagecache) in their own directory, so they cannot crowd out
        # the entries above; shared by all processes of the server like the default cache.
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": DATA_DIR / "cache" / "pages",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Full-page cache of public pages for anonymous visitors (zhengtong.core.pagecache): the longest an entry
# lives (seconds; changes show at once anyway, this bounds what no signal reports); 0 turns the cache off.
ZT_PAGE_CACHE_SECONDS = int(os.environ.get("ZT_PAGE_CACHE_SECONDS", "300"))
# Cookies that select a display variant of a public page, part of the cache key (the elderly-friendly display).
ZT_PAGE_CACHE_VARY_COOKIES = ("zt_elder",)

# --- Users and passwords --------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "zhengtong" / "locale"]
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SERVE_MEDIA = os.environ.get("ZT_SERVE_MEDIA", "0" if PRODUCTION else "1") == "1"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10000

# --- Wagtail --------------------------------------------------------------
WAGTAIL_SITE_NAME = "政通"
WAGTAILADMIN_BASE_URL = os.environ.get("ZT_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "ofd", "txt", "zip", "rar"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "zhengtong.search.backend"}}
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]

# --- Security -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"  # the Wagtail admin previews pages in a frame
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("ZT_SSL_REDIRECT", "1") == "1"
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # local monitoring probes speak plain HTTP
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]

# --- Audit trail (zhengtong.audit) ------------------------------------------
# The HMAC-SM3 key of the audit chain, apart from the database (GB/T 22239-2019 安全审计).
ZT_AUDIT_KEY_FILE = DATA_DIR / "secrets" / "audit_key"
# 网络安全法 第21条: logs kept at least six months; values below 180 are raised to 180 (zhengtong.audit.models).
ZT_AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("ZT_AUDIT_RETENTION_DAYS", "180")))
# Records past retention are archived to signed files here before removal (zhengtong/audit/archive.py).
ZT_AUDIT_ARCHIVE_DIR = Path(os.environ.get("ZT_AUDIT_ARCHIVE_DIR", DATA_DIR / "audit-archive"))
# The audit trail takes the client address from X-Forwarded-For (last entry) only behind a trusted proxy:
# in production, where nginx sets it as it sets X-Forwarded-Proto (operator's guide 8.1).
ZT_TRUST_PROXY = os.environ.get("ZT_TRUST_PROXY", "1" if PRODUCTION else "0") == "1"

# --- Mail (review notifications) -------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("ZT_EMAIL_FROM", "zhengtong@localhost")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("ZT_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["ZT_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("ZT_EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("ZT_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("ZT_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("ZT_EMAIL_TLS", "") == "1"
    EMAIL_USE_SSL = os.environ.get("ZT_EMAIL_SSL", "") == "1"
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "file": {
            "class": "logging.handlers.WatchedFileHandler",
            "filename": DATA_DIR / "logs" / "zhengtong.log",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console", "file"], "level": "WARNING"},
    "loggers": {
        "zhengtong": {"level": "INFO"},
    },
}

# --- Zhengtong ------------------------------------------------------------
# Seconds after which /healthz reports the worker as stale.
ZT_WORKER_STALE_AFTER = int(os.environ.get("ZT_WORKER_STALE_AFTER", "180"))
# How often the worker's scheduler enqueues periodic jobs (seconds).
ZT_SCHEDULER_INTERVAL = int(os.environ.get("ZT_SCHEDULER_INTERVAL", "60"))
# Jobs the worker enqueues every ZT_SCHEDULER_INTERVAL seconds (idempotent).
ZT_PERIODIC_TASKS = [
    "zhengtong.core.tasks.heartbeat",
    "zhengtong.portal.tasks.publish_scheduled",
    "zhengtong.audit.tasks.archive_expired",  # acts monthly (zhengtong.audit.archive.archive_due)
]
