"""URLs: safety inspections and the organisation's aspect list (SPEC §6.1)."""
from django.urls import path

from ..views import aspects as aspect_views
from ..views import inspections as views

P = "projekt/<int:project_id>/besiktningar/"
I = P + "<int:inspection_id>/"

urlpatterns = [
    path(P, views.inspection_list, name="inspections"),
    path(P + "ny/", views.inspection_create, name="inspection_create"),
    path(I, views.inspection_page, name="inspection"),
    path(I + "andra/", views.inspection_edit, name="inspection_edit"),
    path(I + "ta-bort/", views.inspection_delete, name="inspection_delete"),
    path(I + "punkter/ny/", views.point_create, name="point_create"),
    path(I + "punkter/<int:point_id>/", views.point_edit, name="point"),
    path(I + "punkter/<int:point_id>/ta-bort/", views.point_delete, name="point_delete"),
    path(I + "punkter/<int:point_id>/foto/", views.point_photo, name="point_photo"),
    path("besiktningsaspekter/", aspect_views.aspects, name="aspects"),
    path("besiktningsaspekter/ny/", aspect_views.aspect_add, name="aspect_add"),
    path("besiktningsaspekter/granser/", aspect_views.thresholds, name="thresholds"),
    path("besiktningsaspekter/<int:aspect_id>/", aspect_views.aspect_edit, name="aspect_edit"),
    path("besiktningsaspekter/<int:aspect_id>/ny-faktor/", aspect_views.factor_add, name="factor_add"),
    path("besiktningsaspekter/faktor/<int:factor_id>/", aspect_views.factor_edit, name="factor_edit"),
]
