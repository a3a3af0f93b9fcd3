from django.contrib import admin, messages
from django.utils.text import Truncator
from django.utils.translation import ngettext
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdmin

from . import services
from .models import Email

# What the operator sees of an e-mail: never its body (the fields below are all there is in the admin).
SHOWN = ("to", "subject", "kind", "reference", "status", "attempts", "last_error", "created_at", "sent_at")


@admin.register(Email)
class EmailAdmin(ReadOnlyAdmin):
    """The outbox for the operator: who, what about, whether it left and why not. Bodies are not shown."""

    list_display = ("created_at", "to", "subject", "kind", "reference", "status", "attempts", "last_error_short",
                    "sent_at")
    list_filter = ("status", "kind", "created_at")
    search_fields = ("to", "subject", "reference")
    fields = readonly_fields = SHOWN
    actions = ["resend"]

    def get_queryset(self, request):
        # Deferred: the list and the page never load the bodies either.
        return super().get_queryset(request).defer("body_text", "body_html", "context", "link_args")

    @admin.display(description=_("lỗi gần nhất"))
    def last_error_short(self, obj):
        # Why a failed e-mail did not leave, readable from the list without opening each row.
        return Truncator(obj.last_error).chars(120)

    @admin.action(description=_("Gửi lại các thư chưa gửi được"), permissions=["view"])
    def resend(self, request, queryset):
        count = services.email_resend(email_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("Đã xếp %d thư vào hàng đợi gửi lại.", "Đã xếp %d thư vào hàng đợi gửi lại.", count) % count,
            messages.SUCCESS,
        )
