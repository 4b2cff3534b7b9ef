"""Survey submissions per second (SPEC §12.7: a survey announced in local media gets bursts).

`make bench` (or `pytest tests/bench -s`). In one run, on PostgreSQL, under gunicorn:
1. a fresh bench database is created on the server of DATABASE_URL (default: the local one) and
   migrated; tests/bench/bench_seed.py publishes a one-page survey of seven questions (single,
   multiple, scale, number, category, text and a map point) and counts the queries of one submit;
2. gunicorn serves tests/bench/bench_urls.py (2 gthread workers, 4 threads each);
3. this process generates the load with stdlib threads and http.client (a second process):
   complete public submits (the signed page state, CSRF, validation, rate limiter, one transaction),
   then the same number of threads against a bare Django view that INSERTs one row;
4. every response must be a 303 and every submission must be stored (rows counted afterwards).

Printed: submits/s, bare inserts/s and their ratio (goal ≥ 0.5, asserted with BENCH_STRICT=1), and
queries per submit (≤ 5, asserted). Knobs: BENCH_THREADS (8), BENCH_SECONDS (8), BENCH_WORKERS (2).
"""
from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from ..conftest import require

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
CLIENT_THREADS = int(os.environ.get("BENCH_THREADS", "8"))
DURATION = float(os.environ.get("BENCH_SECONDS", "8"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
GOAL_RATIO = 0.5
MAX_QUERIES = 5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else DEFAULT_SERVER


def _with_db(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="module")
def bench_db():
    import psycopg

    server = _server_url()
    try:
        admin = psycopg.connect(_with_db(server, "postgres"), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        require(False, f"PostgreSQL not reachable for the benchmark: {error}")
    name = f"tp_bench_{os.getpid()}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    url = _with_db(server, name)
    try:
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _env(db_url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "tests.bench.bench_settings",
           "PYTHONPATH": str(REPO), "DATABASE_CONN_MAX_AGE": "600"}
    env.pop("DJANGO_DEBUG", None)
    return env


@pytest.fixture(scope="module")
def seeded(bench_db):
    env = _env(bench_db)
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=REPO, env=env, check=True)
    done = subprocess.run([PYTHON, "-m", "tests.bench.bench_seed"], cwd=REPO, env=env, check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def server(bench_db, seeded):
    port = _free_port()
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "trygga_platser.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", WORKERS,
         "--worker-class", "gthread", "--threads", "4", "--log-level", "warning", "--timeout", "60"],
        cwd=REPO, env=_env(bench_db))
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def _request(port: int, method: str, path: str, body: str = "", headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def _submit_template(port: int, token: str, fields: dict) -> tuple[str, dict]:
    """GET the survey page once (as a phone would): its signed state and a CSRF cookie + token."""
    status, headers, body = _request(port, "GET", f"/e/{token}/")
    assert status == 200, status
    html = body.decode()
    state = re.search(r'name="state" value="([^"]+)"', html).group(1)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    cookie = next(v for k, v in headers if k.lower() == "set-cookie" and v.startswith("csrftoken="))
    pairs = [("csrfmiddlewaretoken", csrf), ("state", state), ("action", "submit")]
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, item))
    return urllib.parse.urlencode(pairs), {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie.split(";", 1)[0],
        "Referer": f"http://127.0.0.1:{port}/e/{token}/",
    }


def _load(port: int, path: str, body: str, headers: dict) -> tuple[int, dict[int, int], float]:
    """CLIENT_THREADS threads POST as fast as they can for DURATION seconds; returns (count, statuses, s)."""
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop = time.perf_counter() + DURATION

    def run():
        local: dict[int, int] = {}
        while time.perf_counter() < stop:
            status, _headers, _body = _request(port, "POST", path, body, headers)
            local[status] = local.get(status, 0) + 1
        with lock:
            for status, n in local.items():
                statuses[status] = statuses.get(status, 0) + n

    started = time.perf_counter()
    threads = [threading.Thread(target=run) for _ in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(statuses.values()), statuses, time.perf_counter() - started


def _count(db_url: str, sql: str) -> int:
    import psycopg

    with psycopg.connect(db_url) as conn:
        return conn.execute(sql).fetchone()[0]


def test_survey_submissions_per_second(bench_db, seeded, server):
    port = server
    body, headers = _submit_template(port, seeded["token"], seeded["fields"])
    responses_before = _count(bench_db, "SELECT count(*) FROM surveys_response")
    answers_per_response = _count(bench_db, "SELECT count(*) FROM surveys_answer") // responses_before

    # Warm up both paths (connections, the snapshot in each worker's cache)
    for _ in range(int(WORKERS) * 8):
        assert _request(port, "POST", f"/e/{seeded['token']}/", body, headers)[0] == 303
        assert _request(port, "POST", "/bench/bare/", "value=x",
                        {"Content-Type": "application/x-www-form-urlencoded"})[0] == 303
    responses_before = _count(bench_db, "SELECT count(*) FROM surveys_response")
    bare_before = _count(bench_db, "SELECT count(*) FROM bench_bare_row")

    submits, submit_statuses, submit_seconds = _load(port, f"/e/{seeded['token']}/", body, headers)
    bare, bare_statuses, bare_seconds = _load(port, "/bench/bare/", "value=x",
                                              {"Content-Type": "application/x-www-form-urlencoded"})

    stored = _count(bench_db, "SELECT count(*) FROM surveys_response") - responses_before
    stored_bare = _count(bench_db, "SELECT count(*) FROM bench_bare_row") - bare_before
    answers = _count(bench_db, "SELECT count(*) FROM surveys_answer")
    submit_rate, bare_rate = submits / submit_seconds, bare / bare_seconds
    ratio = submit_rate / bare_rate
    print(
        "\n"
        f"survey submit benchmark: gunicorn {WORKERS} gthread workers x 4 threads, {CLIENT_THREADS} client threads, "
        f"{DURATION:.0f} s each, PostgreSQL\n"
        f"  public survey submits: {submits} in {submit_seconds:.1f} s = {submit_rate:.1f} submits/s "
        f"({answers_per_response} answer rows each) statuses {submit_statuses}\n"
        f"  bare one-row inserts:  {bare} in {bare_seconds:.1f} s = {bare_rate:.1f} inserts/s statuses {bare_statuses}\n"
        f"  ratio submits/bare:    {ratio:.2f} (goal >= {GOAL_RATIO})\n"
        f"  queries per submit:    {seeded['queries']} (limit {MAX_QUERIES}): {seeded['sql']}\n"
    )
    assert submit_statuses == {303: submits}, submit_statuses
    assert bare_statuses == {303: bare}, bare_statuses
    assert stored == submits, (stored, submits)
    assert stored_bare == bare, (stored_bare, bare)
    assert answers == (responses_before + stored) * answers_per_response
    assert seeded["queries"] <= MAX_QUERIES, seeded["sql"]
    # The ratio depends on the machine and on whatever else runs on it, so by default it is reported;
    # BENCH_STRICT=1 makes a ratio below the goal fail the run (for a quiet, dedicated machine).
    verdict = "meets the goal" if ratio >= GOAL_RATIO else "BELOW THE GOAL"
    print(f"  => submits/s is {ratio:.2f} of the bare view's: {verdict} ({GOAL_RATIO})")
    if os.environ.get("BENCH_STRICT") == "1":
        assert ratio >= GOAL_RATIO, f"submits/s is {ratio:.2f} of the bare view's, below the goal {GOAL_RATIO}"
