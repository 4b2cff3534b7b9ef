"""Settings for `make bench`: the production-like base settings on PostgreSQL (DATABASE_URL, set by
the benchmark to its own database), with the bench URLconf and a submit limit no load test reaches
(the limiter still runs on every submit, so its cost is measured)."""
from trygga_platser.settings.base import *

DEBUG = False
ROOT_URLCONF = "tests.bench.bench_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SURVEY_SUBMIT_RATE = "1000000000/h"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
