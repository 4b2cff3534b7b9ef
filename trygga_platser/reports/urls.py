from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("projekt/<int:project_id>/rapporter/", views.report_list, name="list"),
    path("projekt/<int:project_id>/rapporter/ny/", views.report_create, name="create"),
    path("projekt/<int:project_id>/rapporter/<int:report_id>/", views.report_detail, name="detail"),
    path("projekt/<int:project_id>/rapporter/<int:report_id>/fil/", views.report_download, name="download"),
]
