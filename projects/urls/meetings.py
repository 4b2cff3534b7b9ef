"""URLs: meetings and site walks (SPEC §3.6)."""
from django.urls import path

from ..views import meetings as views

_M = "projekt/<int:project_id>/moten/<int:meeting_id>/"

urlpatterns = [
    path("projekt/<int:project_id>/moten/", views.meeting_list, name="meetings"),
    path("projekt/<int:project_id>/moten/nytt/", views.meeting_new, name="meeting_new"),
    path(_M, views.meeting_detail, name="meeting"),
    path(_M + "redigera/", views.meeting_edit, name="meeting_edit"),
    path(_M + "protokoll/", views.meeting_minutes, name="meeting_minutes"),
    path(_M + "status/", views.meeting_status, name="meeting_status"),
    path(_M + "kalender.ics", views.meeting_ics, name="meeting_ics"),
    path(_M + "inbjudningar/", views.meeting_invite, name="meeting_invite"),
    path(_M + "deltagare/", views.meeting_participants_view, name="meeting_participants"),
    path(_M + "deltagare/<int:participant_id>/ta-bort/", views.participant_remove, name="participant_remove"),
    path(_M + "deltagare/<int:participant_id>/narvaro/", views.participant_attendance, name="participant_attendance"),
    path(_M + "stopp/nytt/", views.stop_new, name="stop_new"),
    path(_M + "stopp/<int:stop_id>/", views.stop_edit, name="stop_edit"),
    path(_M + "stopp/<int:stop_id>/ta-bort/", views.stop_remove, name="stop_remove"),
    path(_M + "stopp/<int:stop_id>/flytta/", views.stop_move, name="stop_move"),
    path(_M + "observationer/ny/", views.observation_new, name="observation_new"),
    path(_M + "observationer/<int:observation_id>/", views.observation_edit, name="observation_edit"),
    path(_M + "observationer/<int:observation_id>/ta-bort/", views.observation_delete, name="observation_delete"),
    path(_M + "observationer/<int:observation_id>/fynd/", views.observation_finding, name="observation_finding"),
    path(_M + "observationer/<int:observation_id>/foto/", views.observation_photo, name="observation_photo"),
]
