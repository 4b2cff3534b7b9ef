"""The bench URLconf: the respondent's routes exactly as the app serves them, the pages their
templates link to, and a bare view that inserts one row: the yardstick a survey submit is compared
with (same process, same middleware, same database, same connection handling)."""
from django.db import connection
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from surveys.urls import respond

BARE_TABLE = "bench_bare_row"


@csrf_exempt
@require_POST
def bare(request):
    """The least a Django view can do with a submission: one INSERT, then a redirect."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {BARE_TABLE} (day, value) VALUES (%s, %s)",
                       [timezone.localdate(), request.POST.get("value", "")])
    response = HttpResponse(status=303)
    response["Location"] = "/bench/bare/done/"
    return response


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("trygga_platser.pages.urls")),
    path("", include((respond.urlpatterns, "surveys"))),
]
