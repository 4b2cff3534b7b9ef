"""URLs: steps, activities and the audit log (SPEC §3, §12.4)."""
from django.urls import path

from ..views import workflow as views

urlpatterns = [
    path("projekt/<int:project_id>/steg/", views.steps_overview, name="steps"),
    path("projekt/<int:project_id>/steg/<int:step_id>/", views.step_detail, name="step"),
    path("projekt/<int:project_id>/steg/<int:step_id>/slutfor/", views.step_complete_view, name="step_complete"),
    path("projekt/<int:project_id>/steg/<int:step_id>/oppna/", views.step_reopen_view, name="step_reopen"),
    path("projekt/<int:project_id>/steg/<int:step_id>/datum/", views.step_dates, name="step_dates"),
    path("projekt/<int:project_id>/steg/<int:step_id>/aktiviteter/ny/", views.activity_add_view, name="activity_add"),
    path("projekt/<int:project_id>/aktiviteter/<int:activity_id>/klar/", views.activity_toggle, name="activity_toggle"),
    path("projekt/<int:project_id>/aktiviteter/<int:activity_id>/ta-bort/", views.activity_remove_view,
         name="activity_remove"),
    path("projekt/<int:project_id>/logg/", views.audit_log, name="audit"),
]
