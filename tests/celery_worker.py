"""A real Celery worker for tests (SPEC §9, §10: jobs run in a separate worker process).

Import both fixtures into a test module
(`from ..celery_worker import celery_worker, celery_worker_process  # noqa: F401`) and use
`celery_worker` in a test: it brings `transactional_db`, so what the test writes is committed and
the worker, another process, can read it. One worker process serves the whole module.

The worker consumes a queue of its own, named for this run only, and the test process routes
every task there while the fixture lives. It is started with the test settings and sees the same
test database (DATABASE_URL built from the test connection) and the same media folder
(DJANGO_MEDIA_ROOT), so a file it writes can be read back by the test.

It needs a Redis broker: locally the tests skip without REDIS_URL, under CI they fail (`require`).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from .conftest import require

READY_TIMEOUT = 30.0


def redis_url() -> str:
    """The broker the test process uses: REDIS_URL as read when the settings were imported."""
    return settings.REDIS_URL


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def database_url_for(connection) -> str:
    """A DATABASE_URL for another process that names the database this test process uses.

    Called after the test database is set up, `settings_dict["NAME"]` is the test database
    (`test_…` on PostgreSQL, the TEST NAME file on SQLite). The worker uses it as its NAME as is:
    it is not a test runner, so nothing prefixes it again.
    """
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            pytest.fail("The test database is in memory; a worker process cannot share it.", pytrace=False)
        return f"sqlite:///{Path(name).resolve()}"  # an absolute path gives sqlite:////tmp/…
    if connection.vendor == "postgresql":
        user = quote(db.get("USER") or "", safe="")
        password = quote(str(db.get("PASSWORD") or ""), safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = db.get("HOST") or "localhost"
        port = f":{db['PORT']}" if db.get("PORT") else ""
        return f"postgres://{auth}{host}{port}/{quote(db['NAME'], safe='')}"
    pytest.fail(f"No worker database URL for the {connection.vendor} backend.", pytrace=False)


@dataclass
class CeleryWorker:
    nodename: str
    queue: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def is_alive(self) -> bool:
        return self.process.poll() is None

    def check_alive(self) -> None:
        if not self.is_alive():
            pytest.fail(f"The Celery worker exited with {self.process.returncode}:\n{self.log()}", pytrace=False)

    def wait_until(self, predicate, *, timeout: float = 60.0, interval: float = 0.2, what: str = "the condition"):
        """Poll `predicate()` until it returns something truthy; fail (with the worker's log) otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            self.check_alive()
            if time.monotonic() > deadline:
                pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}. Worker log:\n{self.log()}",
                            pytrace=False)
            time.sleep(interval)


def _wait_ready(app, worker: CeleryWorker) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        worker.check_alive()
        replies = app.control.ping(destination=[worker.nodename], timeout=1)
        if any(worker.nodename in reply for reply in replies or []):
            return
    pytest.fail(f"The Celery worker did not answer a ping within {READY_TIMEOUT:.0f} s:\n{worker.log()}",
                pytrace=False)


def _stop(worker: CeleryWorker) -> None:
    if worker.is_alive():
        worker.process.terminate()  # SIGTERM: warm shutdown, the current task finishes
        try:
            worker.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait(timeout=5)


def _forget_queue(url: str, queue: str) -> None:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        # kombu ≥ 5.6 also keeps a "permanent" binding set per queue.
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    except redis.RedisError:
        pass


@pytest.fixture(scope="module")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A `celery worker` subprocess on a queue of its own; tasks are routed to it meanwhile."""
    from django.db import connection

    from trygga_platser.celery import app

    url = redis_url()
    require(bool(url), "REDIS_URL is not set: a real Celery worker needs a Redis broker.")
    require(redis_answers(url), f"Redis at {url} does not answer.")
    # Eager mode is decided by REDIS_URL at settings import; a fixture may also have switched it on.
    assert not app.conf.task_always_eager, "Celery runs tasks eagerly: they would never reach the worker."

    with django_db_blocker.unblock():
        database_url = database_url_for(connection)
    token = uuid.uuid4().hex[:12]
    queue = f"tp-test-{token}"
    nodename = f"tp-test-{token}@%h"
    log_file = tempfile.NamedTemporaryFile(prefix="tp-celery-", suffix=".log", delete=False)  # noqa: SIM115
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trygga_platser.settings.test",
        "REDIS_URL": url,
        "DATABASE_URL": database_url,
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "trygga_platser", "worker",
        "--pool=solo", "--concurrency=1", "--loglevel=INFO",
        "-Q", queue, "-n", nodename,
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]
    process = subprocess.Popen(  # noqa: S603 - our own command line
        command, cwd=settings.BASE_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT
    )
    log_file.close()
    from celery.utils.nodenames import host_format

    worker = CeleryWorker(nodename=host_format(nodename), queue=queue, process=process, log_path=Path(log_file.name))
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        _wait_ready(app, worker)
        yield worker
    finally:
        app.conf.task_default_queue = previous_queue
        _stop(worker)
        # Printed into the captured output, which pytest shows when the module's last test failed.
        print(f"\n----- Celery worker {worker.nodename} (exit {process.returncode}) -----\n{worker.log()}")
        _forget_queue(url, queue)
        worker.log_path.unlink(missing_ok=True)


@pytest.fixture
def celery_worker(celery_worker_process: CeleryWorker, transactional_db) -> Iterator[CeleryWorker]:
    """The module's worker, for one test on a committed database; its log of this test is printed
    at teardown, which pytest shows when the test failed."""
    start = len(celery_worker_process.log())
    celery_worker_process.check_alive()
    yield celery_worker_process
    print(f"\n----- Celery worker log during the test -----\n{celery_worker_process.log()[start:]}")
