from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import OutboxAdmin

from . import notices, services
from .models import Email, Notice

# What the operator sees of an e-mail: never its body (the fields below are all there is in the admin).
SHOWN = ("to", "subject", "kind", "reference", "status", "attempts", "last_error", "created_at", "sent_at")


@admin.register(Email)
class EmailAdmin(OutboxAdmin):
    """The outbox for the operator: who, what about, whether it left and why not. Bodies are not shown."""

    list_display = ("created_at", "to", "subject", "kind", "reference", "status", "attempts", "last_error_short",
                    "sent_at")
    list_filter = ("status", "kind", "created_at")
    search_fields = ("to", "subject", "reference")
    fields = readonly_fields = SHOWN
    resend_label = _("Gửi lại các thư chưa gửi được")

    def get_queryset(self, request):
        # Deferred: the list and the page never load the bodies either.
        return super().get_queryset(request).defer("body_text", "body_html", "context", "link_args")

    def requeue(self, ids) -> int:
        return services.email_resend(email_ids=ids)

    def requeued(self, count: int) -> str:
        return ngettext("Đã xếp %d thư vào hàng đợi gửi lại.", "Đã xếp %d thư vào hàng đợi gửi lại.", count) % count


def _masked(recipient: str) -> str:
    """0912345678 → 0912***678: enough for the operator to tell two citizens' notices apart."""
    return recipient[:4] + "***" + recipient[-3:] if len(recipient) > 7 else "***"


@admin.register(Notice)
class NoticeAdmin(OutboxAdmin):
    """The SMS/Zalo outbox for the operator: what was sent, what failed and why, a retry. Numbers are masked."""

    list_display = ("created_at", "channel", "kind", "reference", "recipient_masked", "status", "attempts",
                    "last_error_short", "sent_at")
    list_filter = ("status", "channel", "kind", "created_at")
    search_fields = ("reference",)
    fields = readonly_fields = ("channel", "provider", "kind", "reference", "recipient_masked", "text", "status",
                                "attempts", "last_error", "provider_id", "created_at", "sent_at")
    resend_label = _("Gửi lại các tin chưa gửi được")

    @admin.display(description=_("người nhận"))
    def recipient_masked(self, obj):
        return _masked(obj.recipient)

    def requeue(self, ids) -> int:
        return notices.notice_resend(notice_ids=ids)

    def requeued(self, count: int) -> str:
        return ngettext("Đã xếp %d tin vào hàng đợi gửi lại.", "Đã xếp %d tin vào hàng đợi gửi lại.", count) % count
