from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from trygga_platser.pages import views as pages_views

# The admin signs in through allauth, so its rate limits and two-factor authentication apply.
# https://docs.allauth.org/en/latest/common/admin.html
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Trygga Platser"
admin.site.site_title = "Trygga Platser"

urlpatterns = [
    path("healthz", pages_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("konto/", include("allauth.urls")),
    path("", include("trygga_platser.accounts.urls")),
    path("", include("trygga_platser.pages.urls")),
    path("", include("projects.urls")),
    path("", include("actionplans.urls")),
    path("", include("surveys.urls")),
    path("", include("analysis.urls")),
    path("", include("trygga_platser.reports.urls")),
]

handler403 = "trygga_platser.pages.views.error_403"
handler404 = "trygga_platser.pages.views.error_404"
handler500 = "trygga_platser.pages.views.error_500"

