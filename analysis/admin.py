"""Admin for platform staff: the shipped inspection aspects, factors and default thresholds are data
(SPEC §6.1) and can be read and corrected here. Project content (inspections, audits) is edited in
the application, where the access module applies; the admin shows it read-only for support."""
from django.contrib import admin

from .models import (
    Aspect,
    Factor,
    Inspection,
    InspectionPoint,
    PointAudit,
    ScoreThresholds,
)


class FactorInline(admin.TabularInline):
    model = Factor
    fields = ("position", "name", "name_en", "guidance", "active")
    extra = 0


@admin.register(Aspect)
class AspectAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "organisation", "position", "active")
    list_filter = ("active", ("organisation", admin.EmptyFieldListFilter))
    search_fields = ("name", "name_en", "key", "organisation__name")
    inlines = (FactorInline,)


@admin.register(ScoreThresholds)
class ScoreThresholdsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "red_below", "green_from")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("title", "project", "date", "time_of_day", "purpose")
    list_filter = ("purpose", "time_of_day")
    search_fields = ("title", "project__name")


@admin.register(InspectionPoint)
class InspectionPointAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "inspection")
    search_fields = ("name", "inspection__title")


@admin.register(PointAudit)
class PointAuditAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "project", "feeling")
    exclude = ("author",)  # who audited is not support's business
