from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import OutboxAdmin

from . import services
from .models import OutboxRecord


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("Cổng quốc gia xác nhận")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", _("Đã xác nhận")), ("no", _("Chưa xác nhận"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(confirmed_at__isnull=self.value() == "no")
        return queryset


@admin.register(OutboxRecord)
class OutboxRecordAdmin(OutboxAdmin):
    """The outbox to the national portal for the operator: what is waiting, what failed and why, what arrived."""

    list_display = ("created_at", "dossier_code", "sequence", "kind", "national_status", "channel", "procedure_code",
                    "state", "attempts", "last_error_short", "delivered_at", "confirmed_at")
    list_filter = ("state", ConfirmedFilter, "kind", "national_status", "created_at")
    search_fields = ("dossier__code", "procedure_code", "=uuid")
    list_select_related = ("dossier",)
    fields = readonly_fields = ("uuid", "dossier", "sequence", "kind", "national_status", "channel", "procedure_code",
                                "state", "attempts", "last_error", "next_attempt_at", "created_at", "delivered_at",
                                "confirmed_at", "payload")
    resend_label = _("Gửi lại lên Cổng DVC quốc gia")

    @admin.display(description=_("mã hồ sơ"), ordering="dossier__code")
    def dossier_code(self, obj):
        return obj.dossier.code

    def requeue(self, ids) -> int:
        return services.records_requeue(record_ids=ids)

    def requeued(self, count: int) -> str:
        return ngettext("Đã xếp %d bản ghi vào hàng đợi gửi lại.", "Đã xếp %d bản ghi vào hàng đợi gửi lại.", count) % count
