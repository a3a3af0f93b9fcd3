from django.contrib import admin

from .models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """The operator reads the trail; nobody adds, changes or deletes it here."""

    list_display = ["at", "actor_email", "kind", "ref", "client_ip"]
    list_filter = ["kind", "at"]
    search_fields = ["actor_email", "ref"]
    date_hierarchy = "at"
    readonly_fields = ["at", "actor_id", "actor_email", "kind", "ref", "path", "client_ip"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
