import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.constants import OnlineLevel

from .constants import (
    CLOCK_RUNNING,
    FINAL,
    CalendarDayKind,
    DossierStatus,
    FeeStatus,
    FileKind,
    ResultMethod,
    SubmitMethod,
)


class Dossier(models.Model):
    """One submission (hồ sơ) by one applicant for one procedure, from draft to result."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Circular 01/2018/TT-VPCP art. 19: <agency code>-YYMMDD-NNNN, given at submission.
    code = models.CharField(_("mã hồ sơ"), max_length=40, null=True, blank=True, editable=False)
    lookup_key = models.CharField(_("mã tra cứu"), max_length=12, blank=True, editable=False)
    procedure = models.ForeignKey(
        "procedures.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    agency = models.ForeignKey(
        "procedures.Agency", verbose_name=_("cơ quan tiếp nhận"), on_delete=models.PROTECT, related_name="dossiers"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tài khoản nộp"), on_delete=models.PROTECT, related_name="dossiers"
    )
    # Who made the dossier for its owner (a representative, an organisation's member) and under which
    # authorisation (none for a member): the clerk sees both, the receipt says so.
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thao tác thay"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="dossiers_acted",
    )
    authorisation = models.ForeignKey(
        "representation.Authorisation", verbose_name=_("ủy quyền"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="dossiers",
    )
    status = models.PositiveSmallIntegerField(
        _("trạng thái"), choices=DossierStatus.choices, default=DossierStatus.DRAFT, db_index=True
    )
    wizard_step = models.PositiveSmallIntegerField(_("bước đã hoàn thành"), default=0, editable=False)
    is_online = models.BooleanField(_("nộp trực tuyến"), default=True, db_index=True)

    applicant_name = models.CharField(_("họ tên người nộp"), max_length=255, blank=True)
    applicant_identity = models.CharField(_("số CCCD / mã số thuế"), max_length=20, blank=True, db_index=True)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField("e-mail", blank=True)
    applicant_address = models.CharField(_("số nhà, đường, thôn/tổ"), max_length=500, blank=True)
    # 2025 administrative units (vietnam-provinces codes), as on the account's profile.
    applicant_province_code = models.PositiveIntegerField(_("tỉnh, thành phố"), null=True, blank=True)
    applicant_commune_code = models.PositiveIntegerField(_("xã, phường, đặc khu"), null=True, blank=True)
    on_behalf = models.BooleanField(_("nộp thay người khác"), default=False)
    # The case (trường hợp) of the procedure the citizen chose, and per component id their answers:
    # {"12": {"applies": true, "number": "001234567890"}} (conditions ticked, numbers typed for papers shown).
    case = models.CharField(_("trường hợp"), max_length=500, blank=True)
    component_answers = models.JSONField(_("khai báo theo thành phần"), default=dict, blank=True)

    submit_method = models.CharField(
        _("hình thức nộp"), max_length=10, choices=SubmitMethod.choices, default=SubmitMethod.ONLINE
    )
    submit_address = models.CharField(_("địa chỉ nhận hồ sơ giấy (bưu chính)"), max_length=500, blank=True)
    result_method = models.CharField(
        _("hình thức nhận kết quả"), max_length=10, choices=ResultMethod.choices, default=ResultMethod.COUNTER
    )
    result_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=500, blank=True)
    # The post's number for the parcel that carries the result (entered by the clerk when returning it).
    postal_tracking = models.CharField(_("mã bưu gửi kết quả"), max_length=40, blank=True)

    fee_total = models.PositiveBigIntegerField(_("tổng phí, lệ phí (đồng)"), default=0)
    fee_exempt = models.BooleanField(_("miễn phí, lệ phí"), default=False)
    payment_status = models.CharField(
        _("thanh toán"), max_length=15, choices=FeeStatus.choices, default=FeeStatus.NOT_REQUIRED
    )
    paid_at = models.DateTimeField(_("ngày thanh toán"), null=True, blank=True)
    # Paid through a gateway (online) rather than at the counter: a figure provinces publish.
    paid_online = models.BooleanField(_("thanh toán trực tuyến"), default=False)

    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    submitted_at = models.DateTimeField(_("ngày nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    due_date = models.DateField(_("ngày hẹn trả"), null=True, blank=True, db_index=True)
    paused_on = models.DateField(_("tạm dừng tính thời hạn từ"), null=True, blank=True)
    finished_at = models.DateTimeField(_("ngày xử lý xong"), null=True, blank=True)
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)

    rating = models.PositiveSmallIntegerField(_("mức độ hài lòng"), null=True, blank=True)
    rating_comment = models.TextField(_("góp ý"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-is_online", "due_date", "-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="dossier_code_unique"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="dossier_rating_1_5"
            ),
            models.CheckConstraint(
                condition=Q(status=DossierStatus.DRAFT) | Q(code__isnull=False), name="dossier_submitted_has_code"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "status"]),
            # reports: recount one (day, agency, procedure) of figures when one of its dossiers moves.
            models.Index(fields=["procedure", "received_at"], name="dossier_procedure_received"),
            # "Overdue" as of today (the statistics, the clerk's filter): the dossiers whose clock runs are few, and
            # the three columns let the statistics count them from the index alone.
            models.Index(
                fields=["received_at", "agency", "due_date"], condition=Q(status__in=sorted(CLOCK_RUNNING)),
                name="dossier_clock_received",
            ),
            # A clerk's count of their agencies' dossiers by status (the list's filters), from the index alone.
            models.Index(fields=["agency", "status"], name="dossier_agency_status"),
            # PostgreSQL only (migrations 0005, 0007): the clerk's list in its order, whole (dossier_desk_order)
            # or by status (dossier_desk_status_order) or over the dossiers under way (dossier_desk_pending_order:
            # overdue, the work queue's buckets); trigram indexes for the admin's search (dossier_*_trgm).
        ]

    def __str__(self):
        return self.code or _("Bản nháp %(code)s") % {"code": self.procedure.code}

    def get_absolute_url(self):
        if self.status == DossierStatus.DRAFT:
            return reverse("dossiers:wizard", args=[self.uuid, max(1, min(self.wizard_step + 1, 4))])
        return reverse("dossiers:detail", args=[self.code])

    @property
    def applicant_full_address(self) -> str:
        """The applicant's address as printed: street, commune, province (2025 units)."""
        from accounts.selectors import commune_name, province_name

        parts = [self.applicant_address.strip(), commune_name(code=self.applicant_commune_code),
                 province_name(code=self.applicant_province_code)]
        return ", ".join(p for p in parts if p)

    @property
    def electronic_result_promised(self) -> bool:
        """The result is given electronically: chosen so, or the procedure (fully online) gives an electronic
        copy alongside the paper one whatever the channel chosen for the paper."""
        return self.result_method == ResultMethod.ELECTRONIC or self.procedure.is_fully_online

    @property
    def recipient_email(self) -> str:
        return self.applicant_email or self.owner.email

    # get_status_display() builds the field's choices anew and translates every label at each call: a list that
    # shows the states row by row asks the enum for the one label instead.
    @property
    def status_label(self) -> str:
        return DossierStatus(self.status).label

    @property
    def payment_status_label(self) -> str:
        return FeeStatus(self.payment_status).label

    @property
    def is_overdue(self) -> bool:
        """Past the due date and not yet done; a supplement request stops the clock."""
        if self.due_date is None or self.status in FINAL or self.status in (DossierStatus.DONE, DossierStatus.SUPPLEMENT):
            return False
        return self.due_date < timezone.localdate()


def overdue_q(today) -> Q:
    """Filter for overdue dossiers, the same rule as Dossier.is_overdue: the states with a due date that are
    neither final, done nor paused are exactly those whose clock runs. Said positively, so that PostgreSQL can
    use the partial index dossier_clock_received (it cannot prove an IN from a NOT IN)."""
    return Q(due_date__lt=today, status__in=sorted(CLOCK_RUNNING))


def electronic_result_q() -> Q:
    """Filter for Dossier.electronic_result_promised: chosen so, or a fully online procedure's dossier, which
    gets an electronic copy on the portal whatever way its paper result goes (the statistics count both)."""
    return Q(result_method=ResultMethod.ELECTRONIC) | Q(procedure__online_level=OnlineLevel.FULL)


class DossierEvent(models.Model):
    """One move of a dossier: who, from which state to which, with what note. Never edited."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=30)
    from_status = models.PositiveSmallIntegerField(_("từ trạng thái"), choices=DossierStatus.choices)
    to_status = models.PositiveSmallIntegerField(_("sang trạng thái"), choices=DossierStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(_("ghi chú"), blank=True)
    # What a supplement request asks for, by component of the procedure (the note says the rest).
    components = models.ManyToManyField(
        "procedures.RequiredComponent", verbose_name=_("thành phần yêu cầu"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("lịch sử xử lý")
        verbose_name_plural = _("lịch sử xử lý")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.action_label

    @property
    def note_text(self) -> str:
        """The note in the reader's language: the system's notes are translated, a person's shown as written."""
        from .notes import note_display

        return note_display(self.note)

    @property
    def action_label(self) -> str:
        from .constants import DossierAction

        try:
            return str(DossierAction(self.action).label)
        except ValueError:
            return self.action


class DossierFeeEvent(models.Model):
    """One move of a dossier's fee (workflow.FEE_TRANSITIONS): from which state to which, why, by whom. Never edited."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="fee_events")
    from_status = models.CharField(_("từ tình trạng"), max_length=15, choices=FeeStatus.choices)
    to_status = models.CharField(_("sang tình trạng"), max_length=15, choices=FeeStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("lịch sử phí, lệ phí")
        verbose_name_plural = _("lịch sử phí, lệ phí")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{FeeStatus(self.from_status).label} → {FeeStatus(self.to_status).label}"


def dossier_file_path(instance, filename):  # pragma: no cover - names are always set by the service
    return filename


class DossierFile(models.Model):
    """A file of a dossier, stored under a generated name; the citizen's name is kept only as data."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey(
        "procedures.RequiredComponent",
        verbose_name=_("thành phần"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    event = models.ForeignKey(DossierEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="files")
    kind = models.CharField(_("loại"), max_length=15, choices=FileKind.choices, default=FileKind.APPLICATION)
    file = models.FileField(_("tệp"), upload_to=dossier_file_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    file_type = models.CharField(_("định dạng"), max_length=10)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, blank=True, editable=False)
    # A signed PDF's signatures as verified after upload (signatures.verify): signer, verdict, times; None: not
    # a signed PDF, or not checked yet.
    signature_check = models.JSONField(_("kiểm tra chữ ký số"), null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = _("tệp hồ sơ")
        ordering = ["kind", "component__position", "id"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("dossiers:file", args=[self.uuid])


class DossierCodeSequence(models.Model):
    """The last dossier number given by an agency on a day (gap-free, see services.dossier_code_next)."""

    agency = models.ForeignKey("procedures.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossier_code_sequence_unique")]


class CalendarDay(models.Model):
    """A day an operator declares off (extra holiday) or on (make-up working day), overriding the default."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=10, choices=CalendarDayKind.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}"
