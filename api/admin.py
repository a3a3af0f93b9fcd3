from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import ApiClient


def _show_once(request, client: ApiClient, key: str) -> None:
    messages.warning(request, _("Khóa API của “%(name)s” (chỉ hiển thị một lần, hãy lưu lại ngay): %(key)s")
                     % {"name": client.name, "key": key})


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """The operator issues a client's key (shown once), rotates it and revokes it; only its hash is kept."""

    list_display = ["name", "scope", "account", "key_id", "created_at", "rotated_at", "revoked_at", "last_used_at"]
    list_filter = ["scope", "revoked_at"]
    search_fields = ["name", "key_id", "account__email"]
    filter_horizontal = ["agencies"]
    autocomplete_fields = ["account"]
    fields = ["name", "account", "agencies", "scope", "rate_limit", "key_id", "created_at", "rotated_at",
              "revoked_at", "last_used_at"]
    readonly_fields = ["key_id", "created_at", "rotated_at", "revoked_at", "last_used_at"]
    actions = ["rotate", "revoke"]

    def save_model(self, request, obj, form, change):
        key = None if change else services.api_client_key_issue(client=obj)
        super().save_model(request, obj, form, change)
        if key:
            _show_once(request, obj, key)

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the access audit names the calls it made

    @admin.action(description=_("Đổi khóa API (khóa cũ hết hiệu lực ngay)"))
    def rotate(self, request, queryset):
        for client in queryset.filter(revoked_at__isnull=True):
            _show_once(request, client, services.api_client_key_issue(client=client))

    @admin.action(description=_("Thu hồi khóa API"))
    def revoke(self, request, queryset):
        done = sum(services.api_client_revoke(client=client) for client in queryset)
        self.message_user(request, ngettext("Đã thu hồi %(n)d khóa.", "Đã thu hồi %(n)d khóa.", done) % {"n": done},
                          messages.SUCCESS)
