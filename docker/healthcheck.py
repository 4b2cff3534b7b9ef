"""Container health check: GET /healthz (database and broker) the way a load balancer would.

/healthz is exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT in settings/production.py), but
Django still checks the Host header against ALLOWED_HOSTS, so the request names an allowed host.
Exit status 0 = healthy, 1 = unhealthy (https://docs.docker.com/reference/dockerfile/#healthcheck).
"""
import os
import sys
import urllib.error
import urllib.request


def allowed_host() -> str:
    for entry in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(","):
        entry = entry.strip().lstrip(".")  # ".example.se" also allows "example.se"
        if entry and "*" not in entry:
            return entry
    return "localhost"


def main() -> int:
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": allowed_host()})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - fixed local URL
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"healthz: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
