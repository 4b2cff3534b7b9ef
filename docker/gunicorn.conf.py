"""Gunicorn settings for the web container (https://docs.gunicorn.org/en/stable/settings.html).

Every value can be tuned from the environment without rebuilding the image.
"""
import os

# Listen on every interface inside the container; the port is published by compose or the platform.
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"

# Processes x threads: the app is I/O bound (database, Redis) and stateless, so a few processes with
# a few threads each go far; scale out by running more containers behind the load balancer.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# Slow work (PDF reports, e-mail) runs in Celery, so a request taking longer than this is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Recycle workers now and then so a slow leak can never take a container down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))

# The heartbeat file lives in memory: a container's overlay filesystem can stall it.
# https://docs.gunicorn.org/en/stable/faq.html#blocking-os-fchmod
worker_tmp_dir = "/dev/shm"

# Logs go to stdout/stderr, where the container runtime collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
