"""URLs: results, free text, map answers, exports and the comparison (SPEC §5.5, §5.6)."""
from django.urls import path

from ..views import results as views

_SURVEY = "projekt/<int:project_id>/enkater/<int:survey_id>/"

urlpatterns = [
    path(_SURVEY + "resultat/", views.results, name="results"),
    path(_SURVEY + "resultat/fritext/", views.free_text, name="free_text"),
    path(_SURVEY + "resultat/karta/", views.map_answers, name="map_answers"),
    path(_SURVEY + "resultat/export/svar.csv", views.export_csv, name="export_csv"),
    path(_SURVEY + "resultat/export/svar.xlsx", views.export_xlsx, name="export_xlsx"),
    path(_SURVEY + "resultat/export/kartsvar.geojson", views.export_geojson, name="export_geojson"),
    path(_SURVEY + "resultat/export/resultat.csv", views.export_summary, name="export_summary"),
    path(_SURVEY + "jamforelse/", views.comparison, name="comparison"),
]
