"""Settings for the test suite: production settings with a throwaway key."""

import hashlib
import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DEBUG", "false")

from newsroom.settings import *  # noqa: F403
from newsroom.settings import BASE_DIR, CACHES, DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the source folders (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Pages are rendered fresh unless a test turns the page cache on (tests/test_page_cache.py),
# so that query counts measure the real work.
NEWSROOM_PAGE_CACHE_SECONDS = 0
# One process: the page cache may use the process-local cache when CACHE_URL is unset.
NEWSROOM_PAGE_CACHE_ALLOW_PROCESS_LOCAL = True

# A replica alias that mirrors the test database; the router uses it only when a test
# names it (tests/test_scale_out.py), since it cannot see uncommitted test data.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
NEWSROOM_READ_REPLICA = None
# Live-server threads must not keep connections open past their request (the test
# database could not be dropped at the end of the run).
for _database in DATABASES.values():
    _database["CONN_MAX_AGE"] = 0

# Two runs of the suite may share one Redis (two checkouts, two jobs on one machine): each
# keeps its keys under a prefix of its own, named by its checkout and database, and the
# tests empty only theirs (tests/factories.py, clear_cache). Sharing them once put another
# run's sections in this run's masthead (5 menu links instead of 8 on a phone).
_default = DATABASES["default"]
_run = f"{BASE_DIR}|{_default.get('HOST')}|{_default.get('PORT')}|{_default.get('NAME')}"
CACHES["default"]["KEY_PREFIX"] = "test-" + hashlib.sha256(_run.encode()).hexdigest()[:12]
