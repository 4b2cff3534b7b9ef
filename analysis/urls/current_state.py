"""URLs: current_state (SPEC §6)."""
from django.urls import path  # noqa: F401

urlpatterns: list = []
