"""URLs: the current-state analysis (nulägesanalys, SPEC §6.4)."""
from django.urls import path

from ..views import current_state as views

urlpatterns: list = [
    path("projekt/<int:project_id>/nulage/", views.current_state, name="current_state"),
    path("projekt/<int:project_id>/nulage/sammanfattning/", views.current_state_edit, name="current_state_edit"),
]
