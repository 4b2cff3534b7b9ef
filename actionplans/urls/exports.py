"""URLs: the action plan as CSV, the priority matrix and the map (SPEC §7.2)."""
from django.urls import path

from ..views import exports as views

urlpatterns: list = [
    path("projekt/<int:project_id>/handlingsplan/export.csv", views.export_csv, name="export_csv"),
    path("projekt/<int:project_id>/handlingsplan/import/", views.import_csv, name="import_csv"),
    path("projekt/<int:project_id>/handlingsplan/matris/", views.matrix, name="matrix"),
    path("projekt/<int:project_id>/handlingsplan/karta/", views.map_view, name="map"),
]
