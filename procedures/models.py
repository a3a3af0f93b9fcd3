from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.events import CATALOGUE_CHANGED

from .constants import (
    DEFAULT_ACCEPTED_TYPES,
    MAPPED_LEVELS,
    AgencyKind,
    AgencyLevel,
    Channel,
    ComponentRole,
    DocumentForm,
    FeeKind,
    ImplementationLevel,
    OnlineLevel,
    StaffRole,
)
from .text import name_for_search, searchable

agency_code_validator = RegexValidator(
    r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}$",
    _("Mã cơ quan phải theo định dạng quốc gia, ví dụ 000.00.21.H34."),
)
procedure_code_validator = RegexValidator(
    r"^[0-9]\.[0-9]{6}\.[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$",
    _("Mã thủ tục phải theo định dạng quốc gia, ví dụ 1.004232.000.00.00.H34."),
)


def national_code_of(code: str) -> str:
    """Return the national short code (1.004232) of a local code (1.004232.000.00.00.H34)."""
    return code[:8] if len(code) >= 8 and code[1:2] == "." else ""


class CatalogueRow(models.Model):
    """A row of the public catalogue: its save and its delete emit catalogue.changed (common.events) in their
    transaction, whoever writes it (the admin, an import, an operator's shell). The writes that go past save() and
    delete() (bulk_create, .update(), a queryset's delete, a many-to-many set) are followed by their writer's call of
    procedures.services.catalogue_changed or catalogue_rows_saved."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        CATALOGUE_CHANGED.emit()

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        CATALOGUE_CHANGED.emit()
        return deleted


class Agency(CatalogueRow):
    """An implementing agency (cơ quan thực hiện): a provincial department, a commune, or another body."""

    code = models.CharField(_("mã cơ quan"), max_length=20, unique=True, validators=[agency_code_validator])
    name = models.CharField(_("tên cơ quan"), max_length=255)
    level = models.CharField(_("cấp"), max_length=20, choices=AgencyLevel.choices, default=AgencyLevel.PROVINCIAL)
    parent = models.ForeignKey(
        "self", verbose_name=_("cơ quan cấp trên"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # What it is and which 2025 commune (accounts.selectors.commune_choices) it serves: the receiving map's
    # "each commune's People's Committee" finds the agencies by them, and the wizard offers the applicant's own.
    kind = models.CharField(_("loại cơ quan"), max_length=10, choices=AgencyKind.choices, default=AgencyKind.OTHER)
    commune_code = models.PositiveIntegerField(
        _("xã, phường phục vụ (mã 2025)"), null=True, blank=True, db_index=True,
        help_text=_("Mã đơn vị hành chính cấp xã sau sắp xếp năm 2025 mà cơ quan phục vụ; để trống với cơ quan cấp tỉnh."),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    # Where fees are paid to (shown on the fee page before the citizen pays).
    bank_account_name = models.CharField(_("tên tài khoản nhận phí"), max_length=255, blank=True)
    bank_account_number = models.CharField(_("số tài khoản"), max_length=50, blank=True)
    bank_name = models.CharField(_("ngân hàng"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["level", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        from accounts.selectors import commune_name

        if self.commune_code is not None and not commune_name(code=self.commune_code):
            raise ValidationError({"commune_code": _("Không có xã, phường nào mang mã này (danh mục năm 2025).")})

    @property
    def commune_name(self) -> str:
        from accounts.selectors import commune_name

        return commune_name(code=self.commune_code)


class Field(CatalogueRow):
    """A domain of procedures (lĩnh vực), e.g. "Tài nguyên nước"."""

    code = models.CharField(_("mã lĩnh vực"), max_length=50, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Procedure(CatalogueRow):
    """An administrative procedure (thủ tục hành chính) of the catalogue."""

    code = models.CharField(_("mã chuẩn"), max_length=30, unique=True, validators=[procedure_code_validator])
    # The short code of the national database (1.004232): the same procedure in every province.
    national_code = models.CharField(_("mã thủ tục quốc gia"), max_length=8, editable=False, db_index=True, default="")
    # Real names run past 1 000 characters (benefits for veterans of the B, C, K fronts…).
    name = models.CharField(_("tên thủ tục"), max_length=1500)
    decision_number = models.CharField(_("số quyết định công bố"), max_length=255, blank=True)
    procedure_type = models.CharField(_("loại thủ tục"), max_length=255, blank=True)
    # Comma-led and -trailed level keys (",tinh,xa,") so that one `contains` finds a level on any database.
    levels = models.CharField(_("cấp thực hiện"), max_length=40, blank=True, default="", db_index=True)
    target_groups = models.TextField(_("đối tượng thực hiện"), blank=True)
    implementing_text = models.TextField(
        _("cơ quan thực hiện (theo CSDL quốc gia)"), blank=True,
        help_text=_("Văn bản nguyên gốc; các cơ quan của tỉnh tương ứng nằm ở mục Cơ quan thực hiện."),
    )
    competent_text = models.TextField(_("cơ quan có thẩm quyền"), blank=True)
    # Where the national text says the dossier is handed in: shown when no agency of the province receives it.
    receiving_address = models.TextField(_("địa chỉ tiếp nhận (theo CSDL quốc gia)"), blank=True)
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures")
    agencies = models.ManyToManyField(Agency, verbose_name=_("cơ quan thực hiện"), related_name="procedures")
    online_level = models.PositiveSmallIntegerField(
        _("mức độ"), choices=OnlineLevel.choices, default=OnlineLevel.FULL, db_index=True
    )
    processing_days = models.PositiveSmallIntegerField(
        _("thời hạn giải quyết (ngày làm việc)"), validators=[MinValueValidator(1)], default=10
    )
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    # [{"name": ..., "code": "KQ.G12.000334"}]: the result documents with their national codes.
    result_documents = models.JSONField(_("giấy tờ kết quả"), default=list, blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    # [{"title": ..., "number": "144/2025/NĐ-CP"}], read from the national database's table.
    legal_documents = models.JSONField(_("văn bản pháp lý"), default=list, blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    steps = models.TextField(_("trình tự thực hiện"), blank=True)
    pay_before_processing = models.BooleanField(_("nộp phí trước khi giải quyết"), default=False)
    # Submission only after a login through the national identity provider at this level of assurance (its loAs); none:
    # any login (dossiers.services.assurance).
    national_login_loa = models.PositiveSmallIntegerField(
        _("yêu cầu đăng nhập định danh quốc gia"), null=True, blank=True,
        choices=[(1, _("Mức 1")), (2, _("Mức 2"))],
        help_text=_("Để trống: nộp hồ sơ với mọi cách đăng nhập."))
    is_active = models.BooleanField(_("đang áp dụng"), default=True, db_index=True)
    is_frequent = models.BooleanField(_("thủ tục thường gặp"), default=False)
    source_url = models.URLField(_("trang gốc (CSDL quốc gia)"), max_length=300, blank=True)
    # The importer's doubts about the components it read (one per line); the operator checks the procedure in
    # the admin's "needs review" list and clears the flag once the components are right.
    components_need_review = models.BooleanField(_("thành phần hồ sơ cần rà soát"), default=False, db_index=True)
    components_review_reasons = models.TextField(_("lý do cần rà soát"), blank=True)
    # The fingerprint of the national "Thành phần hồ sơ" text the components were last read from: a re-import of
    # the same text leaves the components (and the operator's corrections) alone.
    components_source_digest = models.CharField(_("dấu vân tay thành phần hồ sơ"), max_length=64, blank=True,
                                                editable=False)
    # When the operator last marked the components reviewed: a changed national text then asks for a new review.
    components_reviewed_at = models.DateTimeField(_("rà soát thành phần lúc"), null=True, blank=True, editable=False)
    # How often citizens submit it, decaying with time: log Σ exp(t_i / τ) over submissions (see
    # procedures.services.procedure_popularity_record). Values written at different times compare directly.
    popularity = models.FloatField(_("mức phổ biến"), default=0, editable=False)
    # Folded, space-led word lists (see procedures.text.searchable) kept in step on save, so that
    # " " + word matches the start of a word. SQLite has no unaccent, and PostgreSQL's unaccent()
    # is not immutable, so neither database could index an expression over the raw text.
    name_folded = models.CharField(max_length=1600, editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thủ tục")
        verbose_name_plural = _("thủ tục")
        ordering = ["name"]
        # The home page's and a procedure page's "frequent procedures" (a few rows) without reading the table.
        indexes = [
            models.Index(fields=["name"], condition=Q(is_frequent=True, is_active=True), name="procedure_frequent_name"),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def get_absolute_url(self):
        return reverse("procedures:detail", args=[self.code])

    @property
    def is_fully_online(self) -> bool:
        return self.online_level == OnlineLevel.FULL

    @property
    def level_labels(self) -> list[str]:
        return [str(ImplementationLevel(key).label) for key in self.levels.split(",") if key in ImplementationLevel.values]

    def set_levels_from(self, agencies) -> None:
        """Set the levels from the province's agencies that carry the procedure out (hand-entered procedures)."""
        by_agency = {AgencyLevel.PROVINCIAL: ImplementationLevel.PROVINCE, AgencyLevel.COMMUNE: ImplementationLevel.COMMUNE}
        self.set_levels({by_agency.get(a.level, ImplementationLevel.OTHER) for a in agencies})

    def set_levels(self, keys) -> None:
        ordered = [key for key in ImplementationLevel.values if key in set(keys)]
        self.levels = f",{','.join(ordered)}," if ordered else ""

    def refresh_search_text(self, *, agency_names=None) -> None:
        """Recompute the folded search columns from the name, code, field and agencies."""
        if agency_names is None:
            from .agency_labels import agency_search_names

            agency_names = agency_search_names(self.agencies.only("name", "kind", "commune_code")) if self.pk else []
        field_name = self.field.name if self.field_id else ""
        code_parts = self.code.replace(".", " ")
        self.national_code = national_code_of(self.code)  # bulk writers call this method, not save()
        self.name_folded = searchable(name_for_search(self.name))
        self.search_text = searchable(self.code, code_parts, self.name, field_name, *agency_names)

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        self.national_code = national_code_of(self.code)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_folded", "search_text", "national_code"}
        super().save(*args, **kwargs)


class RequiredComponent(CatalogueRow):
    """A document a dossier for the procedure must (or may) contain (thành phần hồ sơ)."""

    procedure = models.ForeignKey(Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="components")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    # The case (trường hợp) the component belongs to when the list differs per case; blank: every dossier.
    case = models.CharField(_("trường hợp"), max_length=500, blank=True)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    description = models.TextField(_("mô tả"), blank=True)
    quantity = models.CharField(_("số lượng"), max_length=100, blank=True)
    # The national database names the blank form's file (TK 1.000321.docx) even when no file is uploaded here.
    form_name = models.CharField(_("tên mẫu đơn, tờ khai"), max_length=255, blank=True)
    is_required = models.BooleanField(_("bắt buộc"), default=True)
    # Upload online, show at the counter, or guidance only (never an upload): see procedures.components.
    role = models.CharField(_("loại"), max_length=10, choices=ComponentRole.choices, default=ComponentRole.UPLOAD)
    # "Trường hợp ủy quyền…": the citizen ticks whether it applies to them; only then is the paper asked.
    condition = models.CharField(_("điều kiện áp dụng"), max_length=500, blank=True)
    # The channel whose table lists it (the online table often replaces the paper declaration by the e-form);
    # blank: every channel.
    channel = models.CharField(_("hình thức nộp"), max_length=10, choices=Channel.choices, blank=True)
    # A paper shown at the counter whose number the citizen types online instead (identity papers).
    asks_number = models.BooleanField(_("nhập số giấy tờ thay cho tải lên"), default=False)
    document_form = models.CharField(
        _("hình thức"), max_length=20, choices=DocumentForm.choices, default=DocumentForm.ORIGINAL
    )
    accepted_types = models.CharField(
        _("định dạng chấp nhận"), max_length=100, default=DEFAULT_ACCEPTED_TYPES, help_text=_("Ví dụ: pdf,jpg,png")
    )
    max_size_mb = models.PositiveSmallIntegerField(_("dung lượng tối đa (MB)"), default=20)
    blank_form = models.FileField(_("mẫu đơn, tờ khai"), upload_to="forms/", blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure", "position", "id"]

    def __str__(self):
        return self.name

    @property
    def is_interactive_form(self) -> bool:
        """The national portal's interactive e-form ("Mẫu … điện tử tương tác"), which this portal does not fill in:
        the citizen uploads the declaration filled in and signed instead."""
        return "dien tu tuong tac" in searchable(self.name)

    @property
    def accepted_type_list(self) -> list[str]:
        return [t.strip().lower() for t in self.accepted_types.split(",") if t.strip()]


class ProcedureChannel(CatalogueRow):
    """One way of handing a dossier in (online, at the counter, by post) with its own time limit and fee."""

    procedure = models.ForeignKey(Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="channels")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    channel = models.CharField(_("hình thức nộp"), max_length=10, choices=Channel.choices)
    time_value = models.DecimalField(_("thời hạn"), max_digits=7, decimal_places=2, null=True, blank=True)
    time_unit = models.CharField(_("đơn vị thời hạn"), max_length=30, blank=True, help_text=_("Ví dụ: Ngày làm việc"))
    fee_amount = models.PositiveBigIntegerField(
        _("phí, lệ phí (đồng)"), null=True, blank=True, help_text=_("Để trống khi văn bản không nêu một số tiền.")
    )
    fee_text = models.TextField(_("phí, lệ phí (nguyên văn)"), blank=True)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        verbose_name = _("cách thức thực hiện")
        verbose_name_plural = _("cách thức thực hiện")
        ordering = ["procedure", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(time_value__gte=0), name="channel_time_non_negative")
        ]

    def __str__(self):
        return f"{self.get_channel_display()}: {self.time_display}"

    @property
    def time_display(self) -> str:
        if self.time_value is None:
            return ""
        value = self.time_value.normalize()
        number = f"{value:f}".replace(".", ",")
        return f"{number} {self.time_unit}".strip()


class FeeItem(CatalogueRow):
    """A fee (phí) or a charge (lệ phí) of a procedure, in whole VND."""

    procedure = models.ForeignKey(Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="fees")
    kind = models.CharField(_("loại"), max_length=10, choices=FeeKind.choices, default=FeeKind.CHARGE)
    name = models.CharField(_("nội dung"), max_length=255)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["procedure", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="fee_amount_non_negative")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"


class SearchSynonym(CatalogueRow):
    """An everyday name citizens type (làm sổ đỏ) and the words of the procedures' names it stands for."""

    phrase = models.CharField(_("cách người dân gọi"), max_length=200, unique=True)
    expansion = models.CharField(
        _("từ ngữ trong tên thủ tục"), max_length=300, blank=True,
        help_text=_("Ví dụ: “sổ đỏ” → “giấy chứng nhận quyền sử dụng đất”. Để trống: bỏ qua các từ này khi tìm "
                  "(“xin”, “làm”)."),
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("từ đồng nghĩa khi tìm kiếm")
        verbose_name_plural = _("từ đồng nghĩa khi tìm kiếm")
        ordering = ["phrase"]

    def __str__(self):
        return f"{self.phrase} → {self.expansion}"


class AgencyStaff(models.Model):
    """A staff account's role in one agency: what it may do with that agency's dossiers."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="agency_roles"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(_("vai trò"), max_length=20, choices=StaffRole.choices)

    class Meta:
        verbose_name = _("cán bộ của cơ quan")
        verbose_name_plural = _("cán bộ của cơ quan")
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="agency_staff_unique_role")]

    def __str__(self):
        return f"{self.user} — {self.agency} ({self.get_role_display()})"


class ReceivingRule(models.Model):
    """One cell of the province's receiving map: procedures of a level (and a field) → the agencies receiving them.

    The rule of the procedure's own field wins over the level's rule for every field (blank field), so that
    "Cấp xã" × "Đăng ký, quản lý cư trú" → each commune's police replaces "Cấp xã" → each commune's People's
    Committee; a rule naming no agency says the province receives none (customs and tax offices at "Cấp xã").
    """

    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=[(k.value, k.label) for k in MAPPED_LEVELS])
    field = models.ForeignKey(
        Field, verbose_name=_("lĩnh vực"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="receiving_rules", help_text=_("Để trống: mọi lĩnh vực không có dòng riêng."),
    )
    # Comma-led and -trailed AgencyKind values (",ubnd,cong_an,"): every commune's agency of these kinds.
    commune_kinds = models.CharField(_("cơ quan của từng xã, phường"), max_length=60, blank=True, default="")
    agencies = models.ManyToManyField(Agency, verbose_name=_("cơ quan tiếp nhận"), blank=True,
                                      related_name="receiving_rules")

    class Meta:
        verbose_name = _("bản đồ cơ quan tiếp nhận")
        verbose_name_plural = _("bản đồ cơ quan tiếp nhận")
        ordering = ["level", "field__name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "field"], condition=Q(field__isnull=False),
                                    name="receiving_rule_level_field_unique",
                                    violation_error_message=_("Bản đồ đã có một dòng cho cấp và lĩnh vực này.")),
            models.UniqueConstraint(fields=["level"], condition=Q(field__isnull=True),
                                    name="receiving_rule_level_any_field_unique",
                                    violation_error_message=_("Bản đồ đã có một dòng cho cấp này và mọi lĩnh vực.")),
        ]

    def __str__(self):
        field = self.field.name if self.field_id else _("mọi lĩnh vực")
        return f"{self.get_level_display()} × {field}"

    @property
    def commune_kind_list(self) -> list[str]:
        return [key for key in self.commune_kinds.split(",") if key in AgencyKind.values]

    def set_commune_kinds(self, kinds) -> None:
        ordered = [key for key in AgencyKind.values if key in set(kinds)]
        self.commune_kinds = f",{','.join(ordered)}," if ordered else ""


class MappedAgencyLink(models.Model):
    """A procedure–agency link the receiving map made: applying the map again removes it when the map no
    longer names the agency, and leaves the links an import matched by name or the operator added alone."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="mapped_links")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="mapped_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["procedure", "agency"], name="mapped_link_unique")]


class CatalogueVersion(models.Model):
    """The catalogue's version: one row, moved in the transaction of every change of the catalogue
    (procedures.versioning explains why it lives here and not in the cache)."""

    value = models.BigIntegerField()  # never shown: no name to translate

    def __str__(self):
        return str(self.value)
