"""URLs: distribution (SPEC §5.2) — publishing, schedule, public link, QR code, poster, invitations."""
from django.urls import path

from ..views import distribution as views

_S = "projekt/<int:project_id>/enkater/<int:survey_id>/distribution/"

urlpatterns: list = [
    path(_S, views.distribution, name="distribution"),
    path(_S + "publicera/", views.publish, name="publish"),
    path(_S + "installningar/", views.schedule, name="schedule"),
    path(_S + "stang/", views.close, name="close"),
    path(_S + "antal/", views.count, name="count"),
    path(_S + "qr.svg", views.qr_svg_download, name="qr_svg"),
    path(_S + "qr.png", views.qr_png_download, name="qr_png"),
    path(_S + "affisch/", views.poster, name="poster"),
    path(_S + "inbjudningar/medlemmar/", views.invitations_add, name="invitations_add"),
    path(_S + "inbjudningar/lista/", views.invitations_upload, name="invitations_upload"),
    path(_S + "inbjudningar/<int:invitation_id>/ta-bort/", views.invitation_remove, name="invitation_delete"),
]
