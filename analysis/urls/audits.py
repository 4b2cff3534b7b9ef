"""URLs: point audits (SPEC §6.2)."""
from django.urls import path

from ..views import audits as views

P = "projekt/<int:project_id>/punktgranskningar/"
A = P + "<int:audit_id>/"

urlpatterns = [
    path(P, views.audit_list, name="audits"),
    path(P + "ny/", views.audit_create, name="audit_create"),
    path(A, views.audit_edit, name="audit"),
    path(A + "ta-bort/", views.audit_delete, name="audit_delete"),
    path(A + "foto/", views.audit_photo, name="audit_photo"),
]
