"""Admin for platform staff: surveys and their questions, for support. Responses and answers are
deliberately not registered: staff have no reason to read people's answers (SPEC §5.4), and
invitations are shown without their tokens."""
from django.contrib import admin

from .models import Invitation, Option, Question, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ("page", "position", "key", "kind", "text", "required")
    extra = 0
    show_change_link = True
    fk_name = "survey"


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "project", "published_at", "opens_on", "closes_on")
    list_filter = ("kind",)
    search_fields = ("title", "project__name")
    raw_id_fields = ("project", "baseline", "created_by")
    readonly_fields = ("created_at", "updated_at")
    exclude = ("public_token",)
    inlines = (QuestionInline,)


class OptionInline(admin.TabularInline):
    model = Option
    fields = ("position", "value", "label", "label_en", "is_missing")
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("key", "text", "kind", "survey")
    search_fields = ("key", "text", "survey__title")
    raw_id_fields = ("survey", "condition_question")
    inlines = (OptionInline,)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "survey", "category", "sent_at", "reminders_sent", "used_on")
    search_fields = ("email", "survey__title")
    raw_id_fields = ("survey", "user")
    exclude = ("token",)
    readonly_fields = ("sent_at", "reminders_sent", "last_reminded_at", "used_on")
