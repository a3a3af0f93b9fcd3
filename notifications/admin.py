from django.contrib import admin, messages
from django.utils.text import Truncator
from django.utils.translation import ngettext
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Email


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = ("created_at", "to", "subject", "kind", "status", "attempts", "last_error_short", "sent_at")
    list_filter = ("status", "kind", "created_at")
    search_fields = ("to", "subject")
    readonly_fields = [f.name for f in Email._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("lỗi gần nhất"))
    def last_error_short(self, obj):
        # Why a failed e-mail did not leave, readable from the list without opening each row.
        return Truncator(obj.last_error).chars(120)

    @admin.action(description=_("Gửi lại các thư chưa gửi được"))
    def resend(self, request, queryset):
        count = services.email_resend(email_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("Đã xếp %d thư vào hàng đợi gửi lại.", "Đã xếp %d thư vào hàng đợi gửi lại.", count) % count,
            messages.SUCCESS,
        )
