"""Benchmarks run only when asked for (`make bench`, or `pytest tests/bench`), never in `make test`:
throughput depends on the machine, so it is measured and printed here, not asserted in the suite."""
from __future__ import annotations

import os
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def _asked_for(config) -> bool:
    if os.environ.get("TP_BENCH") == "1":
        return True
    for arg in config.args:
        path = Path(str(arg).split("::", 1)[0]).resolve()
        if path == BENCH_DIR or BENCH_DIR in path.parents:
            return True
    return False


def pytest_ignore_collect(collection_path, config):
    if collection_path.name.startswith("test_") and not _asked_for(config):
        return True
    return None
