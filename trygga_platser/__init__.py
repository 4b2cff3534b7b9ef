# The Celery app is imported here so that `shared_task` binds to it when Django starts
# (https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html).
from .celery import app as celery_app

__all__ = ("celery_app",)
