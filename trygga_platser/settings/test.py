"""Settings for the test suite: the base settings with fast hashing and isolated files.

`DATABASE_URL` and `REDIS_URL` still apply, so CI runs the suite against PostgreSQL and Redis.
"""
import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F401,F403
from .base import DATABASES

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789abcdef"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One media folder per test run, shared with a Celery worker started by the tests (via env).
MEDIA_ROOT = Path(os.environ.setdefault("DJANGO_MEDIA_ROOT", tempfile.mkdtemp(prefix="tp-media-")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOG_FORMAT = "plain"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# One test database per test run, so runs side by side do not trample each other. A worker process
# started by a test inherits the variable and so finds the same database.
_RUN = os.environ.setdefault("TP_TEST_RUN_ID", str(os.getpid()))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not :memory:, so that a worker process started by a test sees the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"tp-test-{_RUN}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{_RUN}"}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Rate-limit counters live in the cache; each test starts from an empty in-process one (clearing a
# shared Redis cache would also flush the Celery broker's queues).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
