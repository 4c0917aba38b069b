"""Lotse settings: one file, every deployment knob read from the environment.

Secrets can also be given as files: for any NAME below, NAME_FILE names a file
whose content is used (for Docker/systemd secrets).
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    """The value of NAME, or the content of the file named by NAME_FILE."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def email_settings(url: str) -> dict[str, object]:
    """Django e-mail settings from EMAIL_URL (smtp://, smtp+tls://, smtp+ssl://, console://)."""
    parts = urlsplit(url)
    backends = {
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
        "smtp+ssl": "django.core.mail.backends.smtp.EmailBackend",
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(f"EMAIL_URL has an unknown scheme: {parts.scheme!r}")
    query = parse_qs(parts.query)
    return {
        "EMAIL_BACKEND": backends[parts.scheme],
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or {"smtp+ssl": 465, "smtp+tls": 587}.get(parts.scheme, 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls" or query.get("tls") == ["1"],
        "EMAIL_USE_SSL": parts.scheme == "smtp+ssl" or query.get("ssl") == ["1"],
    }


DEBUG = env_bool("DEBUG")

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off. "
            'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-mode-do-not-use-in-production"  # noqa: S105  # nosec B105

# The address users reach Lotse at; used in links in e-mails.
LOTSE_BASE_URL = env("LOTSE_BASE_URL", "http://127.0.0.1:8000")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DATA_DIR = Path(env("LOTSE_DATA_DIR") or PROJECT_DIR / "var")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "lotse.core",
    "lotse.accounts",
    "lotse.people",
    "lotse.network",
    "lotse.programmes",
    "lotse.employers",
    "lotse.tandems",
    "lotse.cases",
    "lotse.matching",
    "lotse.reports",
    "lotse.surveys",
    "lotse.imports",
    "lotse.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lotse.core.middleware.SecurityHeadersMiddleware",
    "lotse.core.middleware.RequestAddressMiddleware",
    "lotse.accounts.middleware.TenantMiddleware",
    "lotse.accounts.middleware.TwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lotse.urls"
WSGI_APPLICATION = "lotse.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lotse.core.context_processors.lotse",
            ],
            "builtins": [
                "django.templatetags.i18n",
                "django.templatetags.static",
                "lotse.core.templatetags.lotse",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
if not env("DATABASE_URL"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'lotse.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write
    # lock at the start of a transaction, so two writers queue instead of one
    # failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication --------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# BSI and NIST: length over composition rules.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Salted, slow hashes only (SECURITY.md A3): PBKDF2-SHA256 for new passwords.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # invitations and reset links: three days

# How long an extended police clearance certificate of a volunteer counts as valid.
LOTSE_POLICE_CLEARANCE_YEARS = env_int("LOTSE_POLICE_CLEARANCE_YEARS", 5)

# Roles that must sign in with a second factor (TOTP).
# Anonymised statistics hide every count from 1 to this threshold minus one,
# and whatever would let a reader work such a count out.
LOTSE_STATISTICS_THRESHOLD = max(2, env_int("LOTSE_STATISTICS_THRESHOLD", 5))
# Annual reports are written in a thread of the web process; off, the request
# that asks for one waits until it is written.
LOTSE_REPORTS_IN_BACKGROUND = env_bool("LOTSE_REPORTS_IN_BACKGROUND", True)
LOTSE_TWO_FACTOR_REQUIRED_ROLES = env_list("LOTSE_TWO_FACTOR_REQUIRED_ROLES", "administrator")
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Lotse")

# Throttling of failed logins: five failures per account and address lock that
# pair out for a while; the response is the same whether the account exists.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The sign-in form's field is called "username" even though it holds the e-mail.
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

SESSION_COOKIE_AGE = 60 * env_int("LOTSE_SESSION_IDLE_MINUTES", 30)
SESSION_SAVE_EVERY_REQUEST = True  # the age above counts from the last request: an idle limit
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# However active, a sign-in ends after this many hours (BSI CON.10, ASVS V7).
LOTSE_SESSION_MAX_HOURS = env_int("LOTSE_SESSION_MAX_HOURS", 10)

# Rate limits (SECURITY.md H2) other than sign-in's: "scope=count/seconds,…"
# overrides the defaults in the code (password_reset=5/3600,
# survey_response=200/600, personal_export=30/3600, access_copy=20/3600);
# a count of 0 switches a limit off.
LOTSE_RATE_LIMITS = {
    scope.strip(): (int(count), int(seconds or 1))
    for scope, _eq, spec in (item.partition("=") for item in env_list("LOTSE_RATE_LIMITS"))
    for count, _slash, seconds in [spec.partition("/")]
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers (production defaults; DEBUG relaxes what needs TLS) ----
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("LOTSE_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = ["security.W021"] if not SECURE_HSTS_PRELOAD else []

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    }
}

# --- E-mail -------------------------------------------------------------------
vars().update(email_settings(env("EMAIL_URL", "console://" if DEBUG else "smtp://localhost:25")))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Lotse <lotse@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ----------------------------------------------------
LANGUAGE_CODE = env("LANGUAGE_CODE", "de")
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT") or DATA_DIR / "static")
# KERN UX and htmx, copied from node_modules by `make` (see Makefile).
STATICFILES_DIRS = [Path(env("LOTSE_ASSETS_DIR") or PROJECT_DIR / "build" / "static")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Uploaded documents (signed agreements …): outside the web root, no URL of
    # their own; views that check permissions stream them (core.storage).
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(Path(env("LOTSE_DOCUMENTS_DIR") or DATA_DIR / "documents")),
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}

# age public keys (age1…) that `lotse backup` encrypts its archives to.
LOTSE_BACKUP_RECIPIENTS = env_list("LOTSE_BACKUP_RECIPIENTS", "")
# Each erasure is also noted here (organisation and record numbers only),
# outside the database: a restore of an older backup applies them again.
# Keep the file where the backups are not, on the same machine as Lotse.
LOTSE_ERASURE_LOG = Path(env("LOTSE_ERASURE_LOG") or DATA_DIR / "erasures.log")

# --- Logging: no personal data, only what operators need ---------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
