"""Settings for Newsroom, read from the environment (see .env.example)."""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy
from django_prose_editor.config import html_tags

BASE_DIR = Path(__file__).resolve().parent.parent


def _static(path: str) -> str:
    from django.templatetags.static import static  # needs settings: import on first use

    return static(path)


static_lazy = lazy(_static, str)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-never-used-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    # No insecure default may reach production: refuse to start without them.
    _missing = [name for name in ("SECRET_KEY", "ALLOWED_HOSTS") if not env.str(name, default="")]
    if _missing:
        raise ImproperlyConfigured(
            "Newsroom will not start with DEBUG off until these are set in the environment "
            f"(or .env): {', '.join(_missing)}. See .env.example."
        )
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",  # its sitemap.xml templates (articles/site/sitemaps.py)
    "django_prose_editor",  # the body editor; its JS and CSS are served as our static files
    "newsroom.apps.SignInThrottleConfig",  # django-axes, the login throttle (AUTHENTICATION_BACKENDS)
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "articles.site.compression.CompressFeedsMiddleware",  # outside the page cache and ETags
    "newsroom.conditional.ConditionalGetMiddleware",  # Django's, with a cheaper ETag
    "articles.api.cors.ApiCorsMiddleware",
    "articles.site.caching.PublicPageCacheMiddleware",
    "newsroom.replicas.ReplicaRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a refused (locked-out) login into its page
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "django.template.context_processors.csp",
    "articles.site.context_processors.site",
]
TEMPLATES = [
    {
        # The public reading site (templates/jinja2/): Jinja2 renders it about three times
        # faster than Django templates. Its names come first, so views need no change.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "newsroom.jinja2.environment",
            "context_processors": [*_CONTEXT_PROCESSORS, "newsroom.jinja2.catalogue"],
        },
    },
    {
        # The admin and its overrides (templates/admin/), the sitemaps' XML.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": _CONTEXT_PROCESSORS,
            # The desk's date and state filters (articles/admin/display.py).
            "libraries": {"desk": "articles.admin.display"},
        },
    },
]

# PostgreSQL only. Without DATABASE_URL a private server is started in var/pgdata.
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
else:
    from newsroom.embedded_db import embedded_database

    DATABASES = {"default": embedded_database(BASE_DIR)}
# A streaming replica of it, for anonymous public reads (newsroom/replicas.py).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")
for _database in DATABASES.values():
    _database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    _database["CONN_HEALTH_CHECKS"] = True
    # psycopg prepares what runs on a server-binding cursor at its first run: only the
    # article page's statement does (articles/site/story_page.py); every other query binds
    # on the client and is never prepared, whatever this says.
    _database.setdefault("OPTIONS", {})["prepare_threshold"] = (
        0 if env.bool("DATABASE_PREPARED_STATEMENTS", default=True) else None
    )
    if not _database["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("Newsroom runs on PostgreSQL only: use postgres:// URLs")
    # Django's PostgreSQL backend, its health check made cheaper (newsroom/db/base.py).
    _database["ENGINE"] = "newsroom.db"
DATABASE_ROUTERS = ["newsroom.replicas.ReplicaRouter"]
NEWSROOM_READ_REPLICA: str | None = "replica"
# How long a client that wrote keeps reading from the primary (longer than replica lag).
NEWSROOM_REPLICA_LAG_SECONDS = env.int("NEWSROOM_REPLICA_LAG_SECONDS", default=10)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://newsroom")}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # Django's, building one Redis client per pool rather than per call (newsroom/cache_backends.py).
    CACHES["default"]["BACKEND"] = "newsroom.cache_backends.RedisCache"
    # A dead or hanging Redis must cost a request milliseconds, not a worker: short
    # timeouts, after which the site renders without the cache (articles/site/shared_cache.py).
    _redis_options = CACHES["default"].setdefault("OPTIONS", {})
    _redis_options.setdefault(
        "socket_connect_timeout", env.float("CACHE_CONNECT_TIMEOUT", default=0.25)
    )
    _redis_options.setdefault("socket_timeout", env.float("CACHE_READ_TIMEOUT", default=0.25))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The login throttle (django-axes): its backend comes first, so a locked-out attempt is
# refused before ModelBackend hashes any password (PBKDF2 costs ~0.9 s a try).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
# Each alone: an account tried from many addresses, and an address trying many accounts.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "articles.admin.lockout.locked_out"  # an Arabic page, status 429
AXES_CLIENT_IP_CALLABLE = "newsroom.client_ip.client_ip"
AXES_COOLOFF_MESSAGE = gettext_lazy("Sign-in is paused: too many failed attempts.")
# How many proxies in front of the app append to X-Forwarded-For (0: none, use the peer).
NEWSROOM_TRUSTED_PROXIES = env.int("NEWSROOM_TRUSTED_PROXIES", default=0)

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Dubai")
USE_TZ = True

# Digits on the public site: "western" (0-9, as in wire copy) or "eastern" (٠-٩).
NEWSROOM_DIGITS = env.str("NEWSROOM_DIGITS", default="western")
# The Umm al-Qura date beside the Gregorian one on the masthead and the article page.
NEWSROOM_HIJRI_DATE = env.bool("NEWSROOM_HIJRI_DATE", default=True)
NEWSROOM_SITE_NAME = env.str("NEWSROOM_SITE_NAME", default="النشرة")
NEWSROOM_PAGE_SIZE = env.int("NEWSROOM_PAGE_SIZE", default=12)
# Anonymous public pages are cached this long at most (0 turns the page cache off);
# never past the next scheduled publication or expiry (articles/site/caching.py).
NEWSROOM_PAGE_CACHE_SECONDS = env.int("NEWSROOM_PAGE_CACHE_SECONDS", default=300)
# Story cards (the home page's) are kept this long in the shared cache, retired with their
# story, authors and sections (articles/site/cards.py); 0 turns the card cache off.
NEWSROOM_CARD_CACHE_SECONDS = env.int("NEWSROOM_CARD_CACHE_SECONDS", default=6 * 3600)
# How long past its lifetime a page may stand in while one request renders it afresh
# (never for a withdrawn, corrected or expired story, nor past a scheduled second).
NEWSROOM_PAGE_CACHE_GRACE_SECONDS = env.int("NEWSROOM_PAGE_CACHE_GRACE_SECONDS", default=30)
# Browsers may keep a public page this long (0 when it changes sooner): the exact
# lifetime, which can end at an embargoed story's second, goes only to the cache in front.
NEWSROOM_BROWSER_MAX_AGE = env.int("NEWSROOM_BROWSER_MAX_AGE", default=10)
# With DEBUG off the page cache needs a cache every worker shares (Redis): a per-process
# one serves withdrawn stories from the other workers. Only a single-process setup
# (the test suite) may allow it.
NEWSROOM_PAGE_CACHE_ALLOW_PROCESS_LOCAL = env.bool(
    "NEWSROOM_PAGE_CACHE_ALLOW_PROCESS_LOCAL", default=False
)
# The query parameters some page reads; any other (utm_*, fbclid, …) is dropped before a
# cached page is looked up or rendered.
NEWSROOM_PAGE_QUERY_PARAMETERS = frozenset(
    # listings and search; the read API's filters (articles/api/views.py)
    {"before", "q", "section", "published_from", "published_to", "page"}
    | {"tag", "author", "since", "limit"}
    | {"updates_before"}  # live coverage's older updates (articles/site/live.py)
)
# The HTTP caches in front (Varnish with xkey, deploy/varnish/): purged by key after commit.
NEWSROOM_PURGE_URLS = env.list("NEWSROOM_PURGE_URLS", default=[])
NEWSROOM_PURGE_TIMEOUT_SECONDS = env.float("NEWSROOM_PURGE_TIMEOUT_SECONDS", default=0.5)
NEWSROOM_UNCACHED_PREFIXES: tuple[str, ...] = (
    "/admin/",
    "/preview/",
    "/health/",
    "/static/",
    "/media/",
)
# The read API (articles/api/): keys required or optional, calls a minute for callers
# without a key (partners have their own limit), page size, origins allowed to read it
# from a browser ("*" for any; empty for none).
NEWSROOM_API_KEY_REQUIRED = env.bool("NEWSROOM_API_KEY_REQUIRED", default=False)
NEWSROOM_API_REQUESTS_PER_MINUTE = env.int("NEWSROOM_API_REQUESTS_PER_MINUTE", default=120)
NEWSROOM_API_PAGE_SIZE = env.int("NEWSROOM_API_PAGE_SIZE", default=20)
NEWSROOM_API_CORS_ORIGINS = env.list("NEWSROOM_API_CORS_ORIGINS", default=[])
if NEWSROOM_API_KEY_REQUIRED:
    # Every call must show its key to the view, so none may be answered from the page cache.
    NEWSROOM_UNCACHED_PREFIXES += ("/api/",)
# Wire copy in these languages is taken in (primary subtags, e.g. "ar"); other items are refused.
NEWSROOM_WIRE_LANGUAGES = env.list("NEWSROOM_WIRE_LANGUAGES", default=["ar"])
# Live coverage: how often a reader's open page asks whether there are new updates.
NEWSROOM_LIVE_POLL_SECONDS = env.int("NEWSROOM_LIVE_POLL_SECONDS", default=15)
# The desk: how long "being edited by" lasts without a heartbeat from the open form
# (it beats three times in that span); preview link lifetime; how often the open
# form autosaves to its person's draft buffer.
NEWSROOM_EDIT_LOCK_SECONDS = env.int("NEWSROOM_EDIT_LOCK_SECONDS", default=90)
NEWSROOM_AUTOSAVE_SECONDS = env.int("NEWSROOM_AUTOSAVE_SECONDS", default=5)
NEWSROOM_PREVIEW_LINK_HOURS = env.int("NEWSROOM_PREVIEW_LINK_HOURS", default=48)
# The desk warns when publish_due (follow-up work) has not run for this long.
NEWSROOM_PUBLISH_DUE_GRACE_MINUTES = env.int("NEWSROOM_PUBLISH_DUE_GRACE_MINUTES", default=5)

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG
# Hashed, compressed static files served by the app itself (WhiteNoise), cacheable forever.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# The body editor's own extensions (articles/admin/editor.py turns them on): the
# "configurable" preset imports each module and looks the extension up by name.
# static_lazy: the module's URL is resolved at render time (hashed in production).
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        # Word / Google Docs paste: real lists, no Office styles, classes or comments.
        "js": [static_lazy("js/editor-word-paste.js")],
        "extensions": {"WordPaste": html_tags([])},  # adds no tag: it only rewrites a paste
    },
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Every asset is ours: the policy forbids anything from another origin.
# (The article editing page alone widens this: see articles/admin/editor.py.)
SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "font-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
}

SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# HTTPS. Behind a proxy that terminates TLS, the proxy must tell the app a request came
# over HTTPS: SECURE_PROXY_SSL_HEADER names the header it sets (opt-in: only when the
# proxy always overwrites it, or any client could claim HTTPS).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # load balancers check over plain HTTP
if env.str("SECURE_PROXY_SSL_HEADER", default=""):
    SECURE_PROXY_SSL_HEADER = (env.str("SECURE_PROXY_SSL_HEADER"), "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
