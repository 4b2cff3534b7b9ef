"""URLs: actions of the action plan (SPEC §7)."""
from django.urls import path

from ..views import actions as views

_BASE = "projekt/<int:project_id>/handlingsplan/"

urlpatterns: list = [
    path(_BASE, views.action_list, name="list"),
    path(_BASE + "tavla/", views.action_board, name="board"),
    path(_BASE + "mina/", views.my_actions, name="mine"),
    path(_BASE + "ny/", views.action_new, name="create"),
    path(_BASE + "<int:action_id>/", views.action_detail, name="action"),
    path(_BASE + "<int:action_id>/redigera/", views.action_edit, name="edit"),
    path(_BASE + "<int:action_id>/ta-bort/", views.action_delete, name="delete"),
    path(_BASE + "<int:action_id>/status/", views.action_move, name="move"),
    path(_BASE + "<int:action_id>/uppdateringar/<int:update_id>/foto/", views.update_photo, name="update_photo"),
]
