from django.contrib import admin

from .models import OutboundAttachment, OutboundEmail


class AttachmentInline(admin.TabularInline):
    model = OutboundAttachment
    fields = ("filename", "mimetype")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ("subject", "to", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status",)
    search_fields = ("to", "subject", "key")
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]
    inlines = [AttachmentInline]

    def has_add_permission(self, request):
        return False
