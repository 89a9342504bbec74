"""One settings module, driven by environment variables (see docs/configuration.md).

Defaults give a working single-machine install on SQLite; production sets MOTCUA_SECRET_KEY,
MOTCUA_DEBUG=0, MOTCUA_ALLOWED_HOSTS and DATABASE_URL.
"""

import contextlib
import hashlib
import hmac
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("MOTCUA_DEBUG", True)
SECRET_KEY = os.environ.get("MOTCUA_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("MOTCUA_SECRET_KEY must be set when MOTCUA_DEBUG=0")
    SECRET_KEY = "insecure-development-key-change-me-" + "x" * 32
ALLOWED_HOSTS = env_list("MOTCUA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("MOTCUA_CSRF_TRUSTED_ORIGINS", "")

# The public address of the portal, printed on receipts (QR code for the status lookup).
MOTCUA_PUBLIC_URL = os.environ.get("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

# Demo mode: prints demo TOTP secrets and shows the demo accounts panel. Refused by `check --deploy`.
DEMO_MODE = env_bool("MOTCUA_DEMO", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "motcua.core",
    "motcua.organizations",
    "motcua.accounts",
    "motcua.catalog",
    "motcua.documents",
    "motcua.payments",
    "motcua.notifications",
    "motcua.dossiers",
    "motcua.feedback",
    "motcua.certification",
    "motcua.indicators",
    "motcua.portal",
    "motcua.office",
    "motcua.api",
    "motcua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "motcua.accounts.middleware.OfficerIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "motcua.core.middleware.TamperedFileMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

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
                "motcua.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
# SQLite by default (WAL + IMMEDIATE transactions so a web process and a worker do not deadlock);
# DATABASE_URL=postgres://... switches to PostgreSQL.
DATA_DIR = Path(os.environ.get("MOTCUA_DATA_DIR", PROJECT_DIR / "var"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Planner settings for short OLTP queries on cached/SSD data (issue 3, docs/configuration.md):
        # JIT off (its compilation added seconds to some plans); random_page_cost 1.1 instead of 4
        # (index lookups by id are cheap here; with 4 the unit lists chose full scans). Appended
        # to any ``options`` the URL gives, so the URL can still override them.
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = f"-c jit=off -c random_page_cost=1.1 {_options.get('options', '')}".strip()
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("MOTCUA_SQLITE_PATH", str(DATA_DIR / "motcua.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # A file, not memory: the numbering tests run several processes against it.
            "TEST": {
                "NAME": os.environ.get("MOTCUA_SQLITE_TEST_PATH", str(DATA_DIR / "test_motcua.sqlite3"))
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL sessions that compute a full recount's facts at once (dossiers.recount_parts): about the
# number of the database server's cores the recount may take (docs/indicators.md).
MOTCUA_RECOUNT_SESSIONS = int(os.environ.get("MOTCUA_RECOUNT_SESSIONS", "2"))

# --- Auth ------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "office:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lockout after repeated failures (django-axes), by username and address together.
AXES_FAILURE_LIMIT = int(os.environ.get("MOTCUA_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("MOTCUA_LOCKOUT_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "office/locked_out.html"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Một Cửa"
# Officers are signed out after this many minutes without a request.
OFFICER_IDLE_MINUTES = int(os.environ.get("MOTCUA_OFFICER_IDLE_MINUTES", "30"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("MOTCUA_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Language and time -----------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
# Each language named in itself, in the switcher.
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["motcua.formats"]

# --- Static and media ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG
for _directory in (DATA_DIR, STATIC_ROOT):
    with contextlib.suppress(OSError):  # a read-only install: the operator creates them
        _directory.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Uploads ---------------------------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Logging: no personal data; request lines only at WARNING and above ----------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MOTCUA_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}

SILENCED_SYSTEM_CHECKS: list[str] = []

# Each section below belongs to one part of the system; edit only your own section.
# --- Citizen accounts (OIDC with the national identity provider, local accounts) ------------------
# docs/accounts.md. Sign-in with the national identity provider (VNeID-style OpenID Connect, through
# mozilla-django-oidc) is on when its endpoints and client are configured; MOTCUA_DEV_IDP=1 mounts a
# local provider at /idp/ (demo) and, unless configured otherwise, points the portal at it.
DEV_IDP = env_bool("MOTCUA_DEV_IDP", False)
_RUNNING_TESTS = "PYTEST_VERSION" in os.environ  # the tests run the local provider on a live server
if DEV_IDP or _RUNNING_TESTS:
    from motcua.devidp.keys import signing_key

    INSTALLED_APPS += ["oauth2_provider", "motcua.devidp"]
    OAUTH2_PROVIDER = {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": signing_key(
            Path(os.environ.get("MOTCUA_DEV_IDP_KEY_FILE", DATA_DIR / "devidp-signing-key.pem"))
        ),
        "OAUTH2_VALIDATOR_CLASS": "motcua.devidp.validator.DevIdentityValidator",
        "SCOPES": {
            "openid": "OpenID Connect",
            "profile": "Họ tên, ngày sinh",
            "email": "Thư điện tử",
            "phone": "Số điện thoại",
        },
        "DEFAULT_SCOPES": ["openid"],
        "PKCE_REQUIRED": True,
        "ACCESS_TOKEN_EXPIRE_SECONDS": 600,
        "AUTHORIZATION_CODE_EXPIRE_SECONDS": 120,
    }
AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "motcua.accounts.oidc.NationalIdentityBackend"]


def _oidc(name: str, dev_default: str = "") -> str:
    return os.environ.get(f"MOTCUA_OIDC_{name}", "") or (dev_default if DEV_IDP else "")


_DEV_IDP_URL = f"{MOTCUA_PUBLIC_URL}/idp"
OIDC_PROVIDER_NAME = os.environ.get("MOTCUA_OIDC_PROVIDER_NAME", "VNeID")
OIDC_OP_ISSUER = _oidc("ISSUER", _DEV_IDP_URL)
OIDC_OP_AUTHORIZATION_ENDPOINT = _oidc("AUTHORIZATION_ENDPOINT", f"{_DEV_IDP_URL}/authorize/")
OIDC_OP_TOKEN_ENDPOINT = _oidc("TOKEN_ENDPOINT", f"{_DEV_IDP_URL}/token/")
OIDC_OP_USER_ENDPOINT = _oidc("USERINFO_ENDPOINT", f"{_DEV_IDP_URL}/userinfo/")
OIDC_OP_JWKS_ENDPOINT = _oidc("JWKS_ENDPOINT", f"{_DEV_IDP_URL}/.well-known/jwks.json")
OIDC_RP_CLIENT_ID = _oidc("CLIENT_ID", "motcua-portal-dev")
# The demo's client secret is derived from the secret key, so `devidp-setup` and the portal agree.
OIDC_RP_CLIENT_SECRET = _oidc(
    "CLIENT_SECRET", hmac.new(SECRET_KEY.encode(), b"motcua-devidp-client", hashlib.sha256).hexdigest()
)
OIDC_RP_SIGN_ALGO = os.environ.get("MOTCUA_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("MOTCUA_OIDC_SCOPES", "openid profile email phone")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = float(os.environ.get("MOTCUA_OIDC_TIMEOUT_SECONDS", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "portal:oidc_callback"
OIDC_REDIRECT_REQUIRE_HTTPS = not DEBUG
# Claim names in the provider's userinfo answer (VNeID-style defaults; see docs/accounts.md).
OIDC_CLAIMS = {
    key: os.environ.get(f"MOTCUA_OIDC_CLAIM_{key.upper()}", default)
    for key, default in {
        "national_id": "national_id",
        "name": "name",
        "birthdate": "birthdate",
        "phone": "phone_number",
        "email": "email",
    }.items()
}
# One-time codes of local accounts (registration, password reset).
VERIFICATION_CODE_MINUTES = int(os.environ.get("MOTCUA_VERIFICATION_CODE_MINUTES", "10"))
VERIFICATION_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_VERIFICATION_MAX_ATTEMPTS", "5"))
VERIFICATION_RESEND_SECONDS = int(os.environ.get("MOTCUA_VERIFICATION_RESEND_SECONDS", "60"))
VERIFICATION_MAX_PER_HOUR = int(os.environ.get("MOTCUA_VERIFICATION_MAX_PER_HOUR", "5"))


# --- Background tasks (django.tasks + django-tasks-db) --------------------------------------------
# "database" (default): tasks are rows in the database, run by `motcua db_worker` (no broker).
# "immediate": run in the same process right after commit (tests, a demo without a worker).
INSTALLED_APPS += ["django_tasks_db"]
_TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": _TASKS_BACKENDS[os.environ.get("MOTCUA_TASKS_BACKEND", "database")]}}

# --- Notifications (outbox, email, SMS, Zalo) ------------------------------------------------------
# See docs/notifications.md. Email goes through Django's SMTP mailer; SMS and Zalo through HTTP
# gateways (empty URL = channel off). Secrets only from the environment.
DEFAULT_FROM_EMAIL = os.environ.get("MOTCUA_EMAIL_FROM", "Một Cửa <khong-tra-loi@motcua.local>")
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("MOTCUA_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": os.environ.get("MOTCUA_EMAIL_HOST", "127.0.0.1"),
            "port": int(os.environ.get("MOTCUA_EMAIL_PORT", "25")),
            "username": os.environ.get("MOTCUA_EMAIL_USER", ""),
            "password": os.environ.get("MOTCUA_EMAIL_PASSWORD", ""),
            "use_tls": env_bool("MOTCUA_EMAIL_STARTTLS", False),
            "use_ssl": env_bool("MOTCUA_EMAIL_SSL", False),
            "timeout": int(os.environ.get("MOTCUA_EMAIL_TIMEOUT", "20")),
        },
    }
}
if MAILERS["default"]["BACKEND"] != "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {}
NOTIFICATIONS_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_NOTIFY_MAX_ATTEMPTS", "6"))
NOTIFICATIONS_RETRY_BASE_SECONDS = int(os.environ.get("MOTCUA_NOTIFY_RETRY_BASE_SECONDS", "60"))
NOTIFICATIONS_RETRY_MAX_SECONDS = int(os.environ.get("MOTCUA_NOTIFY_RETRY_MAX_SECONDS", "21600"))
# A claimed row is invisible to other workers for this long (a worker killed mid-send is retried after).
NOTIFICATIONS_LEASE_SECONDS = int(os.environ.get("MOTCUA_NOTIFY_LEASE_SECONDS", "300"))
NOTIFICATIONS_HTTP_TIMEOUT = float(os.environ.get("MOTCUA_NOTIFY_HTTP_TIMEOUT", "10"))
NOTIFICATIONS_SMS_URL = os.environ.get("MOTCUA_SMS_URL", "")
NOTIFICATIONS_SMS_API_KEY = os.environ.get("MOTCUA_SMS_API_KEY", "")
NOTIFICATIONS_SMS_SECRET_KEY = os.environ.get("MOTCUA_SMS_SECRET_KEY", "")
NOTIFICATIONS_SMS_BRANDNAME = os.environ.get("MOTCUA_SMS_BRANDNAME", "MOTCUA")
NOTIFICATIONS_ZALO_URL = os.environ.get("MOTCUA_ZALO_URL", "")
NOTIFICATIONS_ZALO_ACCESS_TOKEN = os.environ.get("MOTCUA_ZALO_ACCESS_TOKEN", "")
# Our template key → the ZNS template id approved by Zalo, e.g. "received=231456,result_ready=231457".
NOTIFICATIONS_ZALO_TEMPLATES = dict(
    item.split("=", 1) for item in env_list("MOTCUA_ZALO_TEMPLATES", "") if "=" in item
)
# httpx logs every request line at INFO; gateway URLs may carry keys, so only warnings.
LOGGING["loggers"] = {**LOGGING["loggers"], "httpx": {"level": "WARNING"}}  # type: ignore[dict-item]

# --- Payments (providers, sandbox) -----------------------------------------------------------------
import hashlib  # noqa: E402 - kept inside this section

# Online payment providers offered to applicants (codes from motcua/payments/providers). The sandbox bank
# is a local fake: offered by default only in development (MOTCUA_DEBUG=1), never implied in production.
PAYMENT_PROVIDERS = env_list("MOTCUA_PAYMENT_PROVIDERS", "sandbox" if DEBUG else "")
# Shared secret of the sandbox protocol (HMAC-SHA256); derived from SECRET_KEY when not set.
PAYMENT_SANDBOX_SECRET = os.environ.get("MOTCUA_PAYMENT_SANDBOX_SECRET", "") or (
    hashlib.sha256(("payments-sandbox:" + SECRET_KEY).encode()).hexdigest()
)
# Where the applicant's browser finds the sandbox bank, and where the bank sends its notices.
PAYMENT_SANDBOX_BANK_URL = os.environ.get(
    "MOTCUA_PAYMENT_SANDBOX_BANK_URL", "/thanh-toan/ngan-hang-thu-nghiem/"
)
PAYMENT_SANDBOX_NOTIFY_URL = os.environ.get(
    "MOTCUA_PAYMENT_SANDBOX_NOTIFY_URL", f"{MOTCUA_PUBLIC_URL}/api/v1/payments/notices/sandbox"
)
PAYMENT_SANDBOX_NOTIFY_TIMEOUT = float(os.environ.get("MOTCUA_PAYMENT_SANDBOX_NOTIFY_TIMEOUT", "5"))
# An online order may be paid within this many minutes; a notice older than this many seconds is refused.
PAYMENT_ORDER_MINUTES = int(os.environ.get("MOTCUA_PAYMENT_ORDER_MINUTES", "30"))
PAYMENT_NOTICE_MAX_AGE_SECONDS = int(os.environ.get("MOTCUA_PAYMENT_NOTICE_MAX_AGE_SECONDS", "900"))


# --- Feedback (ratings, PAKN) ----------------------------------------------------------------------
# PAKN deadlines in working days (QĐ 766 indicator 5.2: handled within 15, published within 2 after
# the answer is approved); configurable because provinces set their own (e.g. QĐ 50/2020/QĐ-UBND).
PAKN_HANDLING_DAYS = int(os.environ.get("MOTCUA_PAKN_HANDLING_DAYS", "15"))
PAKN_PUBLISH_DAYS = int(os.environ.get("MOTCUA_PAKN_PUBLISH_DAYS", "2"))
# Public PAKN form: at most this many submissions per client address per hour (no CAPTCHA).
PAKN_SUBMISSIONS_PER_HOUR = int(os.environ.get("MOTCUA_PAKN_SUBMISSIONS_PER_HOUR", "5"))

# --- Online submission (uploads, drafts) -----------------------------------------------------------
# Per-file limit for applicants' and officers' uploads, in MB; images above the pixel count are
# refused before decoding (decompression bombs); drafts not touched for this many days expire.
MOTCUA_UPLOAD_MAX_BYTES = int(os.environ.get("MOTCUA_UPLOAD_MAX_MB", "20")) * 1024 * 1024
MOTCUA_UPLOAD_MAX_PIXELS = int(os.environ.get("MOTCUA_UPLOAD_MAX_PIXELS", "50000000"))
MOTCUA_DRAFT_DAYS = int(os.environ.get("MOTCUA_DRAFT_DAYS", "30"))

# --- Tracking and results (public status lookup) --------------------------------------------------
# Failed lookups allowed per client address and per dossier code before "try again later"
# (QUALITY.md security item 11; docs/portal.md).
MOTCUA_LOOKUP_IP_FAILURES = int(os.environ.get("MOTCUA_LOOKUP_IP_FAILURES", "10"))
MOTCUA_LOOKUP_IP_WINDOW_MINUTES = int(os.environ.get("MOTCUA_LOOKUP_IP_WINDOW_MINUTES", "15"))
MOTCUA_LOOKUP_CODE_FAILURES = int(os.environ.get("MOTCUA_LOOKUP_CODE_FAILURES", "5"))
MOTCUA_LOOKUP_CODE_WINDOW_MINUTES = int(os.environ.get("MOTCUA_LOOKUP_CODE_WINDOW_MINUTES", "60"))
# Trusted reverse proxies in front of the app that append the client to X-Forwarded-For (0: none).
MOTCUA_PROXY_COUNT = int(os.environ.get("MOTCUA_PROXY_COUNT", "0"))

# --- Certification of copies (chứng thực bản sao) --------------------------------------------------
# Fee per copy (TT 226/2016/TT-BTC): per page for pages 1–2, per page from page 3, and the cap per copy,
# in đồng (docs/certification.md).
MOTCUA_CERTIFICATION_FEE_FIRST_PAGES_VND = int(
    os.environ.get("MOTCUA_CERTIFICATION_FEE_FIRST_PAGES_VND", "2000")
)
MOTCUA_CERTIFICATION_FEE_NEXT_PAGES_VND = int(
    os.environ.get("MOTCUA_CERTIFICATION_FEE_NEXT_PAGES_VND", "1000")
)
MOTCUA_CERTIFICATION_FEE_CAP_VND = int(os.environ.get("MOTCUA_CERTIFICATION_FEE_CAP_VND", "200000"))

# --- Signatures (PAdES, timestamps, trust roots) ----------------------------------------------------
# How documents are signed: "software" (key file, demo only), "pkcs11" (token/HSM) or "remote"
# (a provider's remote-signing service); empty = signing not configured. See docs/signatures.md.
MOTCUA_SIGNER = os.environ.get("MOTCUA_SIGNER", "")
MOTCUA_SIGNING_PKCS12 = os.environ.get("MOTCUA_SIGNING_PKCS12", "")
MOTCUA_SIGNING_KEY = os.environ.get("MOTCUA_SIGNING_KEY", "")
MOTCUA_SIGNING_CERT = os.environ.get("MOTCUA_SIGNING_CERT", "")
MOTCUA_SIGNING_CHAIN = env_list("MOTCUA_SIGNING_CHAIN", "")
MOTCUA_SIGNING_PASSWORD = os.environ.get("MOTCUA_SIGNING_PASSWORD", "")
MOTCUA_SIGNING_KEYS_DIR = os.environ.get("MOTCUA_SIGNING_KEYS_DIR", "")
MOTCUA_PKCS11_MODULE = os.environ.get("MOTCUA_PKCS11_MODULE", "")
MOTCUA_PKCS11_TOKEN = os.environ.get("MOTCUA_PKCS11_TOKEN", "")
MOTCUA_PKCS11_PIN = os.environ.get("MOTCUA_PKCS11_PIN", "")
MOTCUA_PKCS11_KEY_LABEL = os.environ.get("MOTCUA_PKCS11_KEY_LABEL", "")
MOTCUA_PKCS11_CERT_LABEL = os.environ.get("MOTCUA_PKCS11_CERT_LABEL", "")
MOTCUA_PKCS11_CERT = os.environ.get("MOTCUA_PKCS11_CERT", "")
MOTCUA_REMOTE_SIGNING_URL = os.environ.get("MOTCUA_REMOTE_SIGNING_URL", "")
MOTCUA_REMOTE_SIGNING_API_KEY = os.environ.get("MOTCUA_REMOTE_SIGNING_API_KEY", "")
MOTCUA_REMOTE_SIGNING_KEY_ID = os.environ.get("MOTCUA_REMOTE_SIGNING_KEY_ID", "")
# RFC 3161 time-stamping authority; when set, signatures get a timestamp and long-term validation data.
MOTCUA_TSA_URL = os.environ.get("MOTCUA_TSA_URL", "")
MOTCUA_TSA_TIMEOUT = float(os.environ.get("MOTCUA_TSA_TIMEOUT", "10"))
# Trust anchors for validation (PEM/DER files, comma-separated): e.g. the Root CA of the Ministry of
# Information and Communications and the government CA. Nothing is trusted unless listed here.
MOTCUA_TRUST_ROOTS = env_list("MOTCUA_TRUST_ROOTS", "")
MOTCUA_SIGNATURE_REVOCATION_MODE = os.environ.get("MOTCUA_SIGNATURE_REVOCATION_MODE", "soft-fail")
MOTCUA_SIGNATURE_FETCH_REVOCATION = env_bool("MOTCUA_SIGNATURE_FETCH_REVOCATION", True)
MOTCUA_SIGNATURE_FONT = os.environ.get(
    "MOTCUA_SIGNATURE_FONT", str(BASE_DIR / "dossiers/pdf/fonts/LiberationSerif-Regular.ttf")
)
# Officers' certificates expiring within this many days are listed for a reminder.
MOTCUA_CERT_EXPIRY_REMINDER_DAYS = int(os.environ.get("MOTCUA_CERT_EXPIRY_REMINDER_DAYS", "30"))

# --- Early warning (docs/early-warning.md) ------------------------------------------------------------
# Items at risk within this many working hours; finished dossiers without a rating for this many days.
MOTCUA_WARNING_HORIZON_HOURS = int(os.environ.get("MOTCUA_WARNING_HORIZON_HOURS", "8"))
MOTCUA_WARNING_RATING_DAYS = int(os.environ.get("MOTCUA_WARNING_RATING_DAYS", "7"))
# Public verification: uploads per client address per hour, and the largest PDF accepted (MB).
MOTCUA_VERIFY_PER_HOUR = int(os.environ.get("MOTCUA_VERIFY_PER_HOUR", "30"))
MOTCUA_VERIFY_MAX_BYTES = int(os.environ.get("MOTCUA_VERIFY_MAX_MB", "20")) * 1024 * 1024
