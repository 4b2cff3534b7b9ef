"""URLs: crime statistics (SPEC §6.3)."""
from django.urls import path

from ..views import crime as views

urlpatterns: list = [
    path("projekt/<int:project_id>/brottsstatistik/", views.crime, name="crime"),
    path("projekt/<int:project_id>/brottsstatistik/import/", views.crime_import, name="crime_import"),
    path("projekt/<int:project_id>/brottsstatistik/exempel.csv", views.crime_example, name="crime_example"),
    path("projekt/<int:project_id>/brottsstatistik/rensa/", views.crime_clear, name="crime_clear"),
]
