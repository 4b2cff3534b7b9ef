from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inbjudan/<str:token>/", views.invitation, name="invitation"),
]
