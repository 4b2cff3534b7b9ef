from django.contrib import admin

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("kind", "project", "status", "author", "created_at", "finished_at")
    list_filter = ("status", "kind")
    readonly_fields = [f.name for f in Report._meta.fields]

    def has_add_permission(self, request):
        return False
