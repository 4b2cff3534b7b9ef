"""Admin for platform staff: the model variants are data and edited here (SPEC §3)."""
from django.contrib import admin

from .models import (
    Activity,
    Actor,
    ActorContact,
    CoachingEntry,
    Goal,
    JointCase,
    Meeting,
    MeetingParticipant,
    Observation,
    PartnershipGroup,
    SiteWalkStop,
    Step,
    Variant,
    VariantActivity,
    VariantStep,
)


class VariantStepInline(admin.TabularInline):
    model = VariantStep
    fields = ("number", "title", "title_en", "share")
    extra = 0
    show_change_link = True


@admin.register(Variant)
class VariantAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "duration_months", "is_active", "order")
    list_editable = ("is_active", "order")
    inlines = [VariantStepInline]


class VariantActivityInline(admin.TabularInline):
    model = VariantActivity
    fields = ("order", "key", "title", "title_en", "required", "evidence_kind")
    extra = 0


@admin.register(VariantStep)
class VariantStepAdmin(admin.ModelAdmin):
    list_display = ("variant", "number", "title", "share")
    list_filter = ("variant",)
    fields = ("variant", "number", "title", "title_en", "description", "description_en", "share")
    inlines = [VariantActivityInline]


class ActivityInline(admin.TabularInline):
    model = Activity
    fields = ("order", "title", "required", "evidence_kind", "due_date", "done_at")
    readonly_fields = ("done_at",)
    extra = 0


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ("project", "number", "title", "planned_start", "planned_end", "completed_at")
    list_filter = ("project__municipality",)
    search_fields = ("project__name",)
    readonly_fields = ("completed_at", "completed_by", "override_reason", "open_required_at_completion")
    inlines = [ActivityInline]


class ParticipantInline(admin.TabularInline):
    model = MeetingParticipant
    fields = ("user", "guest_name", "guest_email", "organisation", "category", "attended")
    raw_id_fields = ("user",)
    extra = 0


class StopInline(admin.TabularInline):
    model = SiteWalkStop
    fields = ("order", "name", "lat", "lon")
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "project", "kind", "starts_at", "status")
    list_filter = ("kind", "status", "project__municipality")
    search_fields = ("title", "project__name")
    inlines = [ParticipantInline, StopInline]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "meeting", "category", "finding_status", "created_at")
    list_filter = ("category", "finding_status")


class ContactInline(admin.TabularInline):
    model = ActorContact
    extra = 0


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ("name", "project", "category")
    list_filter = ("category",)
    search_fields = ("name", "project__name")
    inlines = [ContactInline]


admin.site.register(PartnershipGroup)
admin.site.register(Goal)
admin.site.register(JointCase)
admin.site.register(CoachingEntry)
