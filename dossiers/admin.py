"""Staff work on dossiers in the admin: each clerk sees their agencies' dossiers and moves them
only through services.dossier_move (status is read-only)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator, format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.constants import AccessKind
from audit.services import access_record
from common.pagination import EstimatedCountPaginator

from . import selectors, services
from .constants import DossierAction
from .forms import StaffMoveForm
from .models import CalendarDay, Dossier, DossierEvent, DossierFeeEvent, DossierFile, overdue_q
from .notes import note_display
from .signature_display import signature_check_display
from .workflow import FILES_REQUIRED, NOTE_REQUIRED, MoveNotAllowed, allowed_actions, dossier_payable

# Moves staff make in the admin, in the order of the buttons.
STAFF_ACTIONS = [
    DossierAction.RECEIVE,
    DossierAction.REFUSE,
    DossierAction.REQUEST_SUPPLEMENT,
    DossierAction.START,
    DossierAction.REQUEST_PAYMENT,
    DossierAction.MARK_PAID,
    DossierAction.FINISH,
    DossierAction.RETURN_RESULT,
    DossierAction.EXTEND,
    DossierAction.STOP,
]
NEEDS_FORM = NOTE_REQUIRED | FILES_REQUIRED
# The catalogue's names run to 250 characters; the list shows this many, the rest in the cell's title.
PROCEDURE_CHARS = 40


class OverdueFilter(admin.SimpleListFilter):
    title = _("quá hạn")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Quá hạn")), ("no", _("Trong hạn"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(overdue_q(timezone.localdate()))
        if self.value() == "no":
            return queryset.exclude(overdue_q(timezone.localdate()))
        return queryset


class WorkQueueFilter(admin.SimpleListFilter):
    """The buckets of the admin index's work queue, with the same rule as their counts."""

    title = _("việc cần làm")
    parameter_name = "hang"

    def lookups(self, request, model_admin):
        return [(bucket.key, bucket.label) for bucket in selectors.WORK_QUEUE]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        condition = selectors.work_queue_filter(user=request.user, key=self.value())
        return queryset.filter(condition) if condition is not None else queryset.none()


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    view_on_site = False
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class HistoryInline(ReadOnlyInline):
    """Rows of a history, their notes in the reader's language (a system note translated)."""

    @admin.display(description=_("ghi chú"))
    def note_text(self, obj):
        return note_display(obj.note)


class DossierEventInline(HistoryInline):
    model = DossierEvent
    fields = readonly_fields = ["created_at", "action_label", "from_status", "to_status", "actor", "note_text"]
    verbose_name_plural = _("Quá trình xử lý")

    @admin.display(description=_("thao tác"))
    def action_label(self, obj):
        return obj.action_label


class DossierFeeEventInline(HistoryInline):
    model = DossierFeeEvent
    fields = readonly_fields = ["created_at", "from_status", "to_status", "actor", "note_text"]
    verbose_name_plural = _("Lịch sử phí, lệ phí")


class DossierFileInline(ReadOnlyInline):
    model = DossierFile
    fields = readonly_fields = ["download", "kind", "component", "size", "signatures", "created_at"]
    verbose_name_plural = _("Tệp hồ sơ")

    @admin.display(description=_("tệp"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)

    @admin.display(description=_("chữ ký số"))
    def signatures(self, obj):
        return signature_check_display(obj.signature_check)


def _move_many(modeladmin, request, queryset, action, **kwargs) -> None:
    """Apply one move to the selected dossiers and report what happened."""
    done, failed = 0, []
    for dossier in queryset:
        try:
            services.dossier_move(dossier=dossier, action=action, actor=request.user, **kwargs)
            done += 1
        except (MoveNotAllowed, ValidationError) as exc:
            failed.append(f"{dossier.code}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
    if done:
        modeladmin.message_user(
            request,
            ngettext("%(n)d hồ sơ: %(label)s.", "%(n)d hồ sơ: %(label)s.", done) % {"n": done, "label": action.label},
            messages.SUCCESS,
        )
    for line in failed:
        modeladmin.message_user(request, line, messages.ERROR)


def _move_form_response(modeladmin, request, queryset, action, form, *, single=None):
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": action.label,
        "opts": modeladmin.model._meta,
        "form": form,
        "action": action,
        "dossiers": queryset,
        "single": single,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/dossiers/dossier/move.html", context)


def _form_kwargs(request, action, form) -> dict | None:
    """Turn a valid move form into dossier_move arguments (checked result files); None if invalid."""
    if not form.is_valid():
        return None
    kwargs = {"note": form.cleaned_data.get("note", "")}
    if form.cleaned_data.get("components"):
        kwargs["components"] = list(form.cleaned_data["components"])
    if form.cleaned_data.get("postal_tracking"):
        kwargs["postal_tracking"] = form.cleaned_data["postal_tracking"]
    if action == DossierAction.EXTEND:
        kwargs["due_date"] = form.cleaned_data["due_date"]
    if "files" in form.fields:
        try:
            kwargs["files"] = services.dossier_result_files_check(files=request.FILES.getlist("files"))
        except ValidationError as exc:
            form.add_error("files", exc)
            return None
    return kwargs


def _admin_action(action: DossierAction):
    def run(modeladmin, request, queryset):
        if action not in NEEDS_FORM:
            return _move_many(modeladmin, request, queryset, action)
        if "apply" in request.POST:
            form = StaffMoveForm(request.POST, request.FILES, action=action)
            kwargs = _form_kwargs(request, action, form)
            if kwargs is not None:
                return _move_many(modeladmin, request, queryset, action, **kwargs)
        else:
            form = StaffMoveForm(action=action)
        return _move_form_response(modeladmin, request, queryset, action, form)

    run.__name__ = f"move_{action.value}"
    return admin.action(description=format_lazy(_("{action} các hồ sơ đã chọn"), action=action.label), permissions=["view"])(run)


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    # What a counter works by comes first (status, due date, overdue), so it stays on screen beside the two
    # sidebars at 1280 px; the procedure's long name is cut short (whole in its title), headers are short.
    # The fee's state is a filter (and on the dossier's page), not a column.
    list_display = ["code", "status", "due", "overdue", "procedure_short", "applicant_name", "online"]
    list_display_links = ["code"]
    list_filter = [WorkQueueFilter, "status", "is_online", OverdueFilter, "payment_status", "result_method", "agency"]
    search_fields = ["code", "applicant_name", "applicant_identity"]
    ordering = ["-is_online", F("due_date").asc(nulls_first=True), "submitted_at"]
    list_select_related = ["procedure", "agency"]
    list_per_page = 50
    # A million dossiers: no COUNT(*) of the whole table beside the filtered one, and an estimate for that
    # one when it is large (common/pagination.py).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    view_on_site = False  # the public dossier page is the applicant's only
    inlines = [DossierEventInline, DossierFeeEventInline, DossierFileInline]
    actions = [_admin_action(a) for a in STAFF_ACTIONS]
    fieldsets = [
        (None, {"fields": ["code", "status", "procedure", "agency", "is_online", "due_date", "overdue", "receipt"]}),
        (
            _("Người nộp"),
            # What the work needs to reach the applicant; the citizen's account itself is the operator's.
            {"fields": ["applicant_name", "applicant_identity", "applicant_phone", "applicant_email",
                        "applicant_full_address", "on_behalf", "acted_for"]},
        ),
        (_("Thành phần hồ sơ"), {"fields": ["components_summary"]}),
        (_("Nộp và nhận kết quả"), {"fields": ["submit_method", "submit_address", "result_method", "result_address",
                                             "postal_tracking"]}),
        (_("Phí, lệ phí"), {"fields": ["fee_total", "fee_exempt", "payment_status"]}),
        (
            _("Thời gian"),
            {"fields": ["submitted_at", "received_at", "paused_on", "finished_at", "returned_at"]},
        ),
        (_("Đánh giá"), {"fields": ["rating", "rating_comment"]}),
        (_("Thư đã gửi người nộp"), {"fields": ["emails"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [f for group in self.fieldsets for f in group[1]["fields"]]

    def get_queryset(self, request):
        # Not the owner: the list does not show the account, and its row (password hash included) would be
        # joined for every dossier of the page; the change page reads it once when a move e-mails the applicant.
        return selectors.dossier_staff_queryset(user=request.user).select_related("procedure", "agency")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("thủ tục"), ordering="procedure__name")
    def procedure_short(self, obj):
        name = obj.procedure.name
        return format_html('<span class="cut" title="{}">{}</span>', name, Truncator(name).chars(PROCEDURE_CHARS))

    @admin.display(description=_("hẹn trả"), ordering="due_date")
    def due(self, obj):
        return obj.due_date.strftime("%d/%m/%Y") if obj.due_date else "—"

    # Not sortable by a click: the list is already online-first, and a sorted header takes 50 px more.
    @admin.display(description=_("trực tuyến"), boolean=True)
    def online(self, obj):
        return obj.is_online

    @admin.display(description=_("địa chỉ"))
    def applicant_full_address(self, obj):
        return obj.applicant_full_address

    @admin.display(description=_("thao tác thay"))
    def acted_for(self, obj):
        """Who made the dossier for its owner, under which authorisation, and its document (representation)."""
        if obj.acted_by_id is None:
            return _("Chủ tài khoản tự thao tác")
        if obj.authorisation_id is None:
            return format_html(_("{agent} thao tác thay cho tổ chức {owner}"), agent=obj.acted_by.full_name,
                               owner=obj.owner.full_name)
        authorisation = obj.authorisation
        return format_html(
            _("{agent} (CCCD {identity}) thao tác thay cho {owner} theo ủy quyền {scope}, hiệu lực {start}–{end}"
              " ({state}) — <a href=\"{url}\">văn bản ủy quyền</a>"),
            agent=obj.acted_by.full_name, identity=obj.acted_by.identity_number or "", owner=obj.owner.full_name,
            scope=authorisation.scope_label(), start=f"{authorisation.valid_from:%d/%m/%Y}",
            end=f"{authorisation.valid_until:%d/%m/%Y}", state=authorisation.state().label,
            url=reverse("representation:document", args=[authorisation.uuid]),
        )

    @admin.display(description=_("quá hạn"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue

    @admin.display(description=_("thư điện tử"))
    def emails(self, obj):
        rows = [
            format_html(
                "<li>{} — {} → {}: <strong>{}</strong>{}</li>",
                timezone.localtime(e.created_at).strftime("%d/%m/%Y %H:%M"),
                e.subject,
                e.to,
                e.get_status_display(),
                format_html(" ({})", e.last_error[:200]) if e.last_error else "",
            )
            for e in selectors.dossier_emails(dossier=obj)
        ]
        return format_html("<ul class=\"mb-0\">{}</ul>", format_html("".join(["{}"] * len(rows)), *rows)) if rows else "—"

    @admin.display(description=_("trường hợp, kê khai và giấy tờ"))
    def components_summary(self, obj):
        """The case chosen, the conditions ticked, the files per paper and the papers to check at the counter
        with the numbers the citizen typed: what the clerk compares with the originals."""
        summary = selectors.dossier_component_summary(dossier=obj)
        return render_to_string("dossiers/_components_summary.html", {"summary": summary, "with_files": True})

    @admin.display(description=_("giấy tiếp nhận"))
    def receipt(self, obj):
        if not obj.received_at:
            return "—"
        return format_html('<a href="{}">PDF</a>', reverse("dossiers:receipt", args=[obj.code]))

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another agency's dossier is not "missing, go back": it does not exist for this clerk.
        raise Http404

    def get_urls(self):
        return [
            path(
                "<int:pk>/move/<str:action>/",
                self.admin_site.admin_view(self.move_view),
                name="dossiers_dossier_move",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        dossier = self.get_object(request, object_id)
        buttons = []
        if dossier is not None:
            allowed = set(allowed_actions(dossier=dossier, actor=request.user))
            if not dossier_payable(dossier):
                # Nothing owed: neither asking for the fee nor recording it is offered (services refuse both).
                allowed -= {DossierAction.REQUEST_PAYMENT, DossierAction.MARK_PAID}
            buttons = [(a.value, a.label) for a in STAFF_ACTIONS if a in allowed]
        if dossier is not None and request.method == "GET":
            access_record(request=request, kind=AccessKind.DOSSIER, ref=dossier.code)
        # Nothing on the form is editable: moves are the buttons above it.
        context = {
            **(extra_context or {}),
            "move_buttons": buttons,
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, context)

    def move_view(self, request, pk, action):
        """One move on one dossier, with a form for the note, result files or new date."""
        dossier = self.get_queryset(request).filter(pk=pk).first()
        if dossier is None or action not in DossierAction.values or not self.has_view_permission(request, dossier):
            raise Http404
        action = DossierAction(action)
        if request.method != "POST":
            form = StaffMoveForm(action=action, dossier=dossier)
            return _move_form_response(self, request, [dossier], action, form, single=dossier)
        form = StaffMoveForm(request.POST, request.FILES, action=action, dossier=dossier)
        kwargs = _form_kwargs(request, action, form)
        if kwargs is not None:
            try:
                services.dossier_move(dossier=dossier, action=action, actor=request.user, **kwargs)
            except ValidationError as exc:
                # Shown next to the form, with what the clerk typed kept.
                form.add_error("postal_tracking" if getattr(exc, "code", "") == "postal_tracking"
                               and "postal_tracking" in form.fields else None, exc)
                return _move_form_response(self, request, [dossier], action, form, single=dossier)
            except MoveNotAllowed as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, _("Hồ sơ %(code)s: %(action)s.") % {"code": dossier.code, "action": action.label},
                                  messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:dossiers_dossier_change", args=[dossier.pk]))
        return _move_form_response(self, request, [dossier], action, form, single=dossier)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"
