"""URLs: the partnership organisation (SPEC §3.7), goals (§3.8), the joint case (§3.9) and the
coaching log (step 4). Parameter names are the ones tests/test_isolation.py knows."""
from django.urls import path

from ..views import partnership as views
from ..views import plans

P = "projekt/<int:project_id>/"

urlpatterns = [
    # The partnership organisation
    path(P + "samverkan/", views.partnership, name="partnership"),
    path(P + "samverkan/aktorer/ny/", views.actor_create, name="actor_create"),
    path(P + "samverkan/aktorer/<int:actor_id>/", views.actor_edit, name="actor_edit"),
    path(P + "samverkan/aktorer/<int:actor_id>/ta-bort/", views.actor_delete, name="actor_delete"),
    path(P + "samverkan/aktorer/<int:actor_id>/kontakter/ny/", views.contact_create, name="contact_create"),
    path(P + "samverkan/kontakter/<int:contact_id>/", views.contact_edit, name="contact_edit"),
    path(P + "samverkan/kontakter/<int:contact_id>/ta-bort/", views.contact_delete, name="contact_delete"),
    path(P + "samverkan/grupper/ny/", views.group_create, name="group_create"),
    path(P + "samverkan/grupper/<int:group_id>/", views.group_edit, name="group_edit"),
    path(P + "samverkan/grupper/<int:group_id>/ta-bort/", views.group_delete, name="group_delete"),
    path(P + "samverkan/grupper/<int:group_id>/medlemmar/ny/", views.group_member_add, name="group_member_add"),
    path(P + "samverkan/gruppmedlemmar/<int:member_id>/", views.group_member_edit, name="group_member_edit"),
    path(P + "samverkan/gruppmedlemmar/<int:member_id>/ta-bort/", views.group_member_delete,
         name="group_member_delete"),
    path(P + "samverkan/dokument/nytt/", views.document_upload, name="document_upload"),
    path(P + "samverkan/dokument/<int:document_id>/", views.document_download, name="document"),
    path(P + "samverkan/dokument/<int:document_id>/ta-bort/", views.document_delete, name="document_delete"),
    # Goals and the joint case
    path(P + "mal/", plans.goals, name="goals"),
    path(P + "mal/nytt/", plans.goal_create, name="goal_create"),
    path(P + "mal/<int:goal_id>/", plans.goal_edit, name="goal_edit"),
    path(P + "mal/<int:goal_id>/ta-bort/", plans.goal_delete, name="goal_delete"),
    path(P + "mal/case/nytt/", plans.case_create, name="case_create"),
    path(P + "mal/case/<int:case_id>/", plans.case_edit, name="case_edit"),
    path(P + "mal/case/<int:case_id>/ta-bort/", plans.case_delete, name="case_delete"),
    # The coaching log
    path(P + "coachning/", plans.coaching, name="coaching"),
    path(P + "coachning/ny/", plans.coaching_create, name="coaching_create"),
    path(P + "coachning/<int:entry_id>/", plans.coaching_edit, name="coaching_edit"),
    path(P + "coachning/<int:entry_id>/ta-bort/", plans.coaching_delete, name="coaching_delete"),
]
