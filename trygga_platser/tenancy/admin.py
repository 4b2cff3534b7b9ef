from django.contrib import admin

from .models import Membership, Organisation, Programme, Project, ProjectMembership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "municipality_code", "county", "require_mfa")
    list_filter = ("kind", "county", "require_mfa")
    search_fields = ("name", "slug", "municipality_code")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "start_date", "end_date")
    search_fields = ("name",)
    filter_horizontal = ("county_boards",)
    prepopulated_fields = {"slug": ("name",)}


class ProjectMembershipInline(admin.TabularInline):
    model = ProjectMembership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "municipality", "variant", "status", "start_date")
    list_filter = ("status", "variant", "municipality")
    search_fields = ("name", "place_name")
    filter_horizontal = ("programmes",)
    inlines = [ProjectMembershipInline]
