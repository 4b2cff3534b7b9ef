# Trygga Platser – one image for every process of the production stack: web (gunicorn, the default
# command), Celery worker and Celery beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # The code runs from /app (BASE_DIR): templates/, static/ and locale/ live beside the packages,
    # so the project is put on the path rather than installed into site-packages.
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=trygga_platser.settings.production \
    # Report files: written by the worker, downloaded through web, so mount one volume in both.
    DJANGO_MEDIA_ROOT=/data/media \
    PORT=8000

# WeasyPrint's runtime (Pango, HarfBuzz) and the fonts the PDFs are set in; gettext compiles the
# translations. https://doc.courtbouillon.org/weasyprint/stable/first_steps.html#debian-11
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-liberation fonts-dejavu-core \
        gettext \
    && rm -rf /var/lib/apt/lists/*

# A user without privileges runs everything; its home holds gunicorn's control socket.
RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first (their own layer, rebuilt only when pyproject.toml changes), read straight
# from [project].dependencies so there is one list to maintain.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Translations are compiled and static files collected (and compressed for WhiteNoise) at build
# time. production.py refuses a short secret, so the build gets a throwaway one that exists only in
# this step's environment and never reaches the image.
RUN export DJANGO_SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    && python manage.py compilemessages \
    && python manage.py collectstatic --noinput \
    && mkdir -p /data/media \
    && chown -R app:app /data

USER app
EXPOSE 8000

# /healthz answers 200 when the database (and the broker, if configured) respond, else 503.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

CMD ["gunicorn", "--config", "/app/docker/gunicorn.conf.py", "trygga_platser.wsgi:application"]
