from django.urls import path

from ..views import project as views


urlpatterns = [
    path("projekt/nytt/", views.project_create_view, name="create"),
    path("projekt/<int:project_id>/", views.project_detail, name="detail"),
    path("projekt/<int:project_id>/redigera/", views.project_edit, name="edit"),
    path("projekt/<int:project_id>/medlemmar/", views.project_members_view, name="members"),
]
