from django.urls import path

from . import views, views_settings

app_name = "accounts"

urlpatterns = [
    path("inbjudan/<str:token>/", views.invitation, name="invitation"),
    path("konto/installningar/", views_settings.account_settings, name="settings"),
]
