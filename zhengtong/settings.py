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
- ``ZT_2FA_REQUIRED``, ``ZT_2FA_MAX_FAILURES``, ``ZT_2FA_ISSUER``: two-factor
  authentication of staff (block "Two-factor authentication" below).
- ``ZT_PASSWORD_*``, ``ZT_LOCKOUT_*``, ``ZT_SESSION_*``, ``ZT_SECURITY_CONTACT``,
  ``ZT_BREAKGLASS_DEFAULT_HOURS``: staff passwords, lockout and sessions
  (block "Staff accounts" below).
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
    "zhengtong.casework",
    "zhengtong.notifications",  # one path for SMS, email and staff notices (issue #5)
    "zhengtong.disclosure_requests",  # 依申请公开 on the casework kernel (issue #6)
    "zhengtong.interaction",  # 政民互动 public pages on the casework kernel (issue #5)
    "zhengtong.disclosure",  # catalog, index numbers, guide, proactive-disclosure clock, kiosk (issue #6)
    "zhengtong.disclosure_report",  # 政府信息公开工作年度报告 (issue #6)
    # Two-factor authentication for staff (zhengtong.twofactor; settings in its block below).
    "zhengtong.twofactor",
    "django_otp",
    "django_otp.plugins.otp_totp",  # only so migration zt_twofactor 0003 can move old devices out of its table
    "django_otp.plugins.otp_static",
    "zhengtong.privacy",  # personal data protection (issue #4, helper privacy)
    "zhengtong.accounts",
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
    "axes",
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
    # request.user.is_verified(): the session passed the second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "zhengtong.audit.middleware.CurrentRequestMiddleware",
    # Second factor before any other admin page; must run before the forced password change (accounts).
    "zhengtong.twofactor.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Session timeouts, ended sessions, forced password change, break-glass expiry (zhengtong.accounts).
    "zhengtong.accounts.middleware.AccountSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a lockout detected during authentication into the lockout page (django-axes).
    "axes.middleware.AxesMiddleware",
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
# Password hashing, policy, lockout and sessions: see the zhengtong.accounts block below.
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
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "zhengtong.search.backend"}}

# --- Security: headers, cookies, uploads, rate limits (zhengtong.hardening) --------------------------
# One place for every transport and input setting; operator's guide 3 and 5.10. The page cache (first
# middleware) stores public pages with these headers, so hits carry them too.
INSTALLED_APPS.insert(INSTALLED_APPS.index("zhengtong.audit") + 1, "zhengtong.hardening")
MIDDLEWARE[MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1 : 0] = [
    "zhengtong.hardening.headers.ContentSecurityPolicyMiddleware",
    "zhengtong.hardening.headers.SecurityHeadersMiddleware",
    "zhengtong.hardening.ratelimit.LoginRateLimitMiddleware",
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # Wagtail's admin scripts read the token from the cookie
CSRF_COOKIE_SAMESITE = "Lax"
# Public pages may not be framed at all; the admin (zhengtong.hardening.headers) allows its own frames
# (page previews).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
ZT_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
_SELF, _NONE = "'self'", "'none'"
# GB/T 22239-2019 8.1.4.4 入侵防范: the public site runs only our own files — no inline script or style,
# no other origin (the platform works offline on a county network, and sends visitors to no third party).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "media-src": [_SELF],
        "object-src": [_NONE],
        "frame-src": [_NONE],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_NONE],
    }
}
# The Wagtail admin (/admin/): Wagtail 8 writes inline <script> (date pickers, inline panels) and style
# attributes, and frames its own page previews; still no other origin.
ZT_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [_SELF, "'unsafe-inline'"],
        "style-src": [_SELF, "'unsafe-inline'"],
        "img-src": [_SELF, "data:", "blob:"],  # thumbnails of images being uploaded
        "frame-src": [_SELF],
        "frame-ancestors": [_SELF],
    }
}
# The admin never calls out: no avatars from Gravatar, no release check, no news banner from wagtail.org.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("ZT_SSL_REDIRECT", "1") == "1"
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # local monitoring probes speak plain HTTP
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]
    for _policy in (CONTENT_SECURITY_POLICY, ZT_ADMIN_CONTENT_SECURITY_POLICY):
        _policy["DIRECTIVES"]["upgrade-insecure-requests"] = True

# Uploads (zhengtong.hardening.uploads): the types each use accepts, recognised by content, and the
# largest file in MB. Later modules add their own use (e.g. "case_attachment") here.
ZT_UPLOAD_RULES = {
    "image": {
        "types": ["jpg", "png", "gif", "webp"],
        "max_mb": int(os.environ.get("ZT_UPLOAD_IMAGE_MAX_MB", "10")),
    },
    "document": {
        "types": ["pdf", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "ofd", "txt", "csv"],
        "max_mb": int(os.environ.get("ZT_UPLOAD_DOCUMENT_MAX_MB", "50")),
    },
    "attachment": {  # what a citizen may attach to a request (casework)
        "types": ["jpg", "png", "pdf", "docx", "xlsx", "ofd", "txt"],
        "max_mb": int(os.environ.get("ZT_UPLOAD_ATTACHMENT_MAX_MB", "20")),
    },
}
WAGTAILIMAGES_IMAGE_FORM_BASE = "zhengtong.hardening.forms.CheckedImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "zhengtong.hardening.forms.CheckedDocumentForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = ZT_UPLOAD_RULES["image"]["max_mb"] * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Names Wagtail (and ./zt import of legacy attachments) accept; uploads in the admin must also pass the
# content check of ZT_UPLOAD_RULES["document"] (no wps, zip or rar there: their content cannot be checked).
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "ofd", "txt", "csv", "zip", "rar"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # through Django: permission checks, nosniff
WAGTAILDOCS_INLINE_CONTENT_TYPES = []  # every document is downloaded, never shown in the site's origin

# Rate limits per client address (zhengtong.hardening.ratelimit): (requests, seconds). Past the limit a
# visitor answers a simple question (self-hosted, no JavaScript); past ZT_RATE_LIMIT_BLOCK_FACTOR times
# the limit the address gets 429 until the window ends.
ZT_RATE_LIMITS = {
    "login": (int(os.environ.get("ZT_RATE_LIMIT_LOGIN", "10")), 600),
    "submission": (int(os.environ.get("ZT_RATE_LIMIT_SUBMISSION", "10")), 3600),
    "public": (int(os.environ.get("ZT_RATE_LIMIT_PUBLIC", "60")), 600),
    # Looking a case up by its code: enough for a person retyping, far too few to enumerate codes.
    "lookup": (int(os.environ.get("ZT_RATE_LIMIT_LOOKUP", "20")), 600),
}
ZT_RATE_LIMIT_BLOCK_FACTOR = 3
ZT_CHALLENGE_SECONDS = 600  # how long a question stays answerable
# The anti-spam question on public submission forms (zhengtong.hardening.forms.HumanQuestionMixin); writing a
# letter takes a while, so its question stays answerable longer.
ZT_FORM_QUESTION = os.environ.get("ZT_FORM_QUESTION", "1") == "1"
ZT_FORM_QUESTION_SECONDS = 3 * 3600

# ./zt check: how many of the newest audit records it re-verifies (the whole chain when it is smaller).
ZT_CHECK_AUDIT_LAST = int(os.environ.get("ZT_CHECK_AUDIT_LAST", "20000"))

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

# --- Two-factor authentication (zhengtong.twofactor) ------------------------
# GB/T 22239-2019 8.1.4.1 身份鉴别: administrators, publishers and those who see full personal data log in
# with two factors. ZT_2FA_REQUIRED=0 exempts them on a development or test machine only; production ignores it.
ZT_2FA_REQUIRED = PRODUCTION or os.environ.get("ZT_2FA_REQUIRED", "1") == "1"
# Wrong codes in a row (since the last right one) after which the session is ended.
ZT_2FA_MAX_FAILURES = max(1, int(os.environ.get("ZT_2FA_MAX_FAILURES", "5")))
# The name the authenticator app shows beside the account.
OTP_TOTP_ISSUER = os.environ.get("ZT_2FA_ISSUER", WAGTAIL_SITE_NAME)
# Codes of the previous and next 30-second step are accepted (TOTPDevice.tolerance=1); no drift learning,
# so the window never widens beyond one step either side.
OTP_TOTP_SYNC = False
# Exponential waits after wrong codes (1, 2, 4 … seconds), per device (django-otp throttling).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# --- Personal data protection (zhengtong.privacy) ----------------------------
# GB/T 39786-2021: personal data encrypted at rest (SM4-GCM), looked up by a keyed HMAC-SM3 blind index.
# The provider is a dotted path to a zhengtong.privacy.crypto.CryptoProvider; a certified crypto service
# plugs in here (ADR 0007). The software provider's keys live apart from the database, like the audit key.
ZT_CRYPTO_PROVIDER = os.environ.get("ZT_CRYPTO_PROVIDER", "zhengtong.privacy.crypto.SoftwareProvider")
ZT_PERSONAL_DATA_KEYRING = DATA_DIR / "secrets" / "personal_data_keys.json"
ZT_PERSONAL_DATA_INDEX_KEY_FILE = DATA_DIR / "secrets" / "personal_data_index_key"
# ./zt check warns (zhengtong.W303) when the current data key is older than this many days; 0 never warns.
ZT_PERSONAL_DATA_KEY_MAX_AGE_DAYS = int(os.environ.get("ZT_PERSONAL_DATA_KEY_MAX_AGE_DAYS", "365"))

# --- Staff accounts, passwords, lockout, sessions (zhengtong.accounts) ----------
# GB/T 22239-2019 8.1.4.1 身份鉴别 and 8.1.4.2 访问控制 (operator's guide "账号与会话安全").
from datetime import timedelta  # noqa: E402

# Argon2 first: new and changed passwords use it; PBKDF2 hashes still verify and are upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
ZT_PASSWORD_MIN_LENGTH = int(os.environ.get("ZT_PASSWORD_MIN_LENGTH", "10"))
ZT_PASSWORD_MIN_CLASSES = int(os.environ.get("ZT_PASSWORD_MIN_CLASSES", "3"))  # of 4: upper, lower, digit, other
ZT_PASSWORD_HISTORY = int(os.environ.get("ZT_PASSWORD_HISTORY", "5"))  # a new password repeats none of the last N
ZT_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("ZT_PASSWORD_MAX_AGE_DAYS", "90"))  # 0: passwords never expire
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "zhengtong.accounts.validators.MinimumLengthValidator"},
    {"NAME": "zhengtong.accounts.validators.CharacterClassesValidator"},
    {"NAME": "zhengtong.accounts.validators.UsernameValidator"},
    {"NAME": "zhengtong.accounts.validators.PasswordHistoryValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Lockout (django-axes): 5 failures lock the account and, separately, the address for 15 minutes.
AUTHENTICATION_BACKENDS = [
    "zhengtong.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("ZT_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ZT_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own, not the pair
AXES_RESET_ON_SUCCESS = True
# A lockout lasts AXES_COOLOFF_TIME from the failure that caused it; attempts during it do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "zhengtong.accounts.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "zhengtong.accounts.lockout.lockout_response"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # logins and logouts are in the audit trail already (zhengtong.audit)
# Whom a locked-out user is told to contact (shown on the lockout page).
ZT_SECURITY_CONTACT = os.environ.get("ZT_SECURITY_CONTACT", "本单位安全管理员")
# Sessions: logged out after this long without a request, and in any case this long after logging in.
ZT_SESSION_IDLE_MINUTES = int(os.environ.get("ZT_SESSION_IDLE_MINUTES", "30"))
ZT_SESSION_ABSOLUTE_HOURS = int(os.environ.get("ZT_SESSION_ABSOLUTE_HOURS", "12"))
SESSION_COOKIE_AGE = ZT_SESSION_ABSOLUTE_HOURS * 3600
# Default duration of a break-glass superuser grant (./zt breakglass); the flag is taken back when it ends.
ZT_BREAKGLASS_DEFAULT_HOURS = int(os.environ.get("ZT_BREAKGLASS_DEFAULT_HOURS", "2"))
ZT_PERIODIC_TASKS_ACCOUNTS = ["zhengtong.accounts.tasks.revoke_expired_breakglass"]
# --- end of zhengtong.accounts ------------------------------------------------

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

# --- Notifications (zhengtong.notifications; operator's guide 5.15) ------------
# The SMS provider: a class with send(phone, text) -> provider id. The default sends nothing and keeps
# every SMS in the admin's outbox (通知 → 发送记录); ./zt check warns while it is in use (W831).
ZT_SMS_BACKEND = os.environ.get("ZT_SMS_BACKEND", "zhengtong.notifications.backends.OutboxSmsBackend")
# The sender's signature carriers require at the start of every SMS, e.g. 木垒县人民政府.
ZT_SMS_SIGNATURE = os.environ.get("ZT_SMS_SIGNATURE", WAGTAIL_SITE_NAME)

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
    *ZT_PERIODIC_TASKS_ACCOUNTS,
    "zhengtong.audit.tasks.archive_expired",  # acts monthly (zhengtong.audit.archive.archive_due)
    "zhengtong.casework.tasks.remind_and_escalate",  # 催办/督办: once per case per working day (casework.reminders)
    "zhengtong.notifications.tasks.send_pending",  # messages left queued while the queue was down
    "zhengtong.disclosure_requests.tasks.expire_corrections",  # 条例 第30条: not corrected in time = withdrawn
]

# --- Backup and restore (zhengtong.backup; operator's guide 10) ---------------
INSTALLED_APPS += ["zhengtong.backup"]
# Where ./zt backup and the worker's daily backup write archives; ZT_BACKUP_KEEP newest are kept there.
# zhengtong.disclosure: 索引号 format (fields prefix, category, year, sequence), the days before the 第26条 due date
# an unpublished item is marked "due soon", and the kiosk's return to its start page after inactivity.
ZT_DISCLOSURE_INDEX_FORMAT = os.environ.get("ZT_DISCLOSURE_INDEX_FORMAT", "{prefix}-{category}-{year}-{sequence:05d}")
ZT_DISCLOSURE_WARN_DAYS = int(os.environ.get("ZT_DISCLOSURE_WARN_DAYS", "5"))
ZT_KIOSK_IDLE_SECONDS = int(os.environ.get("ZT_KIOSK_IDLE_SECONDS", "120"))

ZT_BACKUP_DIR = Path(os.environ.get("ZT_BACKUP_DIR", DATA_DIR / "backups")).resolve()
ZT_BACKUP_KEEP = max(1, int(os.environ.get("ZT_BACKUP_KEEP", "14")))
# The worker backs up once a day from this hour on (local time, 0-23); "off" leaves backups to the operator.
_backup_hour = os.environ.get("ZT_BACKUP_HOUR", "2").strip().lower()
ZT_BACKUP_HOUR = None if _backup_hour in ("", "off") else int(_backup_hour)
# The passphrase that encrypts the keys in a backup, unless ZT_BACKUP_PASSPHRASE is set; made on first use.
ZT_BACKUP_PASSPHRASE_FILE = DATA_DIR / "secrets" / "backup_passphrase"
# Directory of pg_dump/pg_restore when not /usr/lib/postgresql/<N>/bin or on PATH.
ZT_PG_BIN_DIR = os.environ.get("ZT_PG_BIN_DIR", "")
ZT_PERIODIC_TASKS += ["zhengtong.backup.tasks.daily_backup"]
