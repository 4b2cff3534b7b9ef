"""URLs: the respondent's pages (SPEC §5.3). Addressed by an unguessable token, never a project id:
the survey's public token (`e/<token>/`) or a personal invitation's (`e/i/<token>/`)."""
from django.urls import path

from ..views import respond

urlpatterns: list = [
    path("e/i/<str:token>/", respond.invitation, name="invitation"),
    path("e/<str:token>/", respond.respond, name="respond"),
    path("e/<str:token>/tack/", respond.respond_done, name="respond_done"),
]
