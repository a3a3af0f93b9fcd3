"""Admin pieces shared by the apps."""

from django.contrib import admin, messages
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the admin shows and never adds, changes or deletes: a trail, an outbox, a gateway's callbacks."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OutboxAdmin(ReadOnlyAdmin):
    """An outbox's rows (e-mails, SMS/Zalo notices, records for the national portal): the last error readable from
    the list without opening each row, and one action that queues the chosen rows again. A subclass names its
    service (`requeue(ids) -> count`) and the sentence that reports the count (`requeued(count) -> str`)."""

    actions = ["resend"]
    resend_label = _("Gửi lại")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "resend" in actions:  # the action's name in this outbox's words
            func, name, _label = actions["resend"]
            actions["resend"] = (func, name, self.resend_label)
        return actions

    def requeue(self, ids) -> int:
        raise NotImplementedError

    def requeued(self, count: int) -> str:
        raise NotImplementedError

    @admin.display(description=_("lỗi gần nhất"))
    def last_error_short(self, obj):
        return Truncator(obj.last_error).chars(120)

    @admin.action(description=_("Gửi lại"), permissions=["view"])
    def resend(self, request, queryset):
        count = self.requeue(queryset.values_list("pk", flat=True))
        self.message_user(request, self.requeued(count), messages.SUCCESS)
