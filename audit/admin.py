from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyAdmin):
    """The operator reads the trail; nobody adds, changes or deletes it here."""

    list_display = ["at", "actor_email", "kind", "ref", "client_ip"]
    list_filter = ["kind", "at"]
    search_fields = ["actor_email", "ref"]
    date_hierarchy = "at"
    readonly_fields = ["at", "actor_id", "actor_email", "kind", "ref", "path", "client_ip"]
    fields = readonly_fields
