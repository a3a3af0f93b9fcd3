from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from accounts import selectors as units

from common.captcha import LabelledCaptchaField
from procedures.constants import AgencyKind, ComponentRole
from procedures.models import RequiredComponent
from procedures.receiving import receiving_agencies

from .constants import DossierStatus, ResultMethod, SubmitMethod

identity_validator = RegexValidator(
    r"^(\d{12}|\d{10}|\d{13}|\d{10}-\d{3})$", _("Số CCCD gồm 12 chữ số; mã số thuế gồm 10 hoặc 13 chữ số.")
)
phone_validator = RegexValidator(r"^0\d{9}$", _("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0."))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; their content is checked by dossiers.uploads, not here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        return list(data) if isinstance(data, (list, tuple)) else [data]


class AgencySelect(forms.Select):
    """Each commune's agency says which commune it serves (data-commune): choosing the applicant's commune then
    selects that commune's agency (dossiers/receiving.js)."""

    communes: dict[int, int] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if value in self.communes:
            option["attrs"]["data-commune"] = self.communes[value]
        return option


class ApplicantForm(forms.Form):
    applicant_name = forms.CharField(label=_("Họ và tên người nộp / tên tổ chức"), max_length=255)
    applicant_identity = forms.CharField(label=_("Số CCCD / mã số thuế"), max_length=20, validators=[identity_validator])
    applicant_phone = forms.CharField(label=_("Số điện thoại"), max_length=20)
    applicant_email = forms.EmailField(label=_("E-mail nhận thông báo"))
    applicant_province_code = forms.TypedChoiceField(
        label=_("Tỉnh, thành phố"), coerce=int,
        error_messages={"required": _("Vui lòng chọn tỉnh, thành phố."), "invalid_choice": _("Lựa chọn không hợp lệ, vui lòng chọn lại.")},
    )
    applicant_commune_code = forms.TypedChoiceField(
        label=_("Xã, phường, đặc khu"), coerce=int,
        error_messages={"required": _("Vui lòng chọn xã, phường."), "invalid_choice": _("Xã, phường không thuộc tỉnh, thành phố đã chọn.")},
    )
    applicant_address = forms.CharField(label=_("Số nhà, đường, thôn/tổ"), max_length=500)
    agency = forms.TypedChoiceField(
        label=_("Cơ quan tiếp nhận hồ sơ"), coerce=int, required=False, widget=AgencySelect,
        help_text=_("Mặc định là cơ quan của xã, phường nơi bạn ở; bạn có thể chọn nơi khác tiếp nhận."),
        error_messages={"invalid_choice": _("Cơ quan không tiếp nhận thủ tục này, vui lòng chọn lại.")},
    )

    def __init__(self, *args, procedure, **kwargs):
        super().__init__(*args, **kwargs)
        # The 2025 units, as on the profile: the communes offered follow the chosen province.
        self.fields["applicant_province_code"].choices = [("", _("— Chọn tỉnh, thành phố —")), *units.province_choices()]
        province = self.data.get(self.add_prefix("applicant_province_code")) if self.is_bound else None
        if province is None:
            province = self.initial.get("applicant_province_code")
        try:
            communes = units.commune_choices(province_code=int(province))
        except (TypeError, ValueError):
            communes = ()
        self.fields["applicant_commune_code"].choices = [("", _("— Chọn xã, phường —")), *communes]
        self.agencies = {a.pk: a for a in receiving_agencies(procedure=procedure)}
        if len(self.agencies) > 1:
            self.fields["agency"].required = True
            self.fields["agency"].choices = agency_choices(self.agencies.values())
            self.fields["agency"].widget.communes = {a.pk: a.commune_code for a in self.agencies.values() if a.commune_code}
        else:
            del self.fields["agency"]

    def clean_agency(self):
        return self.agencies.get(self.cleaned_data.get("agency"))

    def clean_applicant_phone(self):
        """Accept "0905 123 456" or "0905.123.456"; keep the digits only."""
        phone = "".join(ch for ch in self.cleaned_data["applicant_phone"] if ch not in " .-")
        phone_validator(phone)
        return phone


def agency_choices(agencies) -> list:
    """The receiving agencies as a select's groups: the province's own, then one option per commune, named by
    the commune first (“Phường Kon Tum — UBND”) and in alphabetical order, so that a province's hundred communes
    are found by typing the commune's name, and the chosen one reads whole on a phone (a native select shows one
    line: “Phường Kon Tum — Ủy ban nhân dân phường Kon Tum” was cut at 360 px)."""
    province, communes = [], []
    for agency in agencies:
        if agency.commune_code:
            commune = agency.commune_name or agency.name
            # Within a commune its People's Committee first: what the commune's choice selects (receiving.js).
            first = agency.kind != AgencyKind.PEOPLE_COMMITTEE
            communes.append((units.sort_key(commune), first, agency.name, agency.pk,
                             f"{commune} — {commune_agency_label(agency.name, commune)}"))
        else:
            province.append((agency.pk, agency.name))
    groups = []
    if province:
        groups.append((_("Cơ quan cấp tỉnh"), province))
    if communes:
        groups.append((_("Xã, phường, đặc khu"), [(pk, label) for *_keys, pk, label in sorted(communes)]))
    return groups if len(groups) > 1 else groups[0][1]


def commune_agency_label(name: str, commune: str) -> str:
    """A commune's agency named without its commune, which the option already shows first: “Ủy ban nhân dân xã
    Đăk Hà” of “Xã Đăk Hà” → “UBND” (the abbreviation every citizen reads), “Công an xã Đăk Hà” → “Công an”. A
    name that does not end with its commune's stays whole."""
    if not name.casefold().endswith(commune.casefold()) or len(name) <= len(commune):
        return name
    kind = name[: -len(commune)].strip()
    return "UBND" if kind.casefold() in ("ủy ban nhân dân", "uỷ ban nhân dân") else kind


class DeliveryForm(forms.Form):
    submit_method = forms.ChoiceField(label=_("Hình thức nộp hồ sơ"), choices=SubmitMethod.choices, widget=forms.RadioSelect)
    submit_address = forms.CharField(
        label=_("Địa chỉ để nhân viên bưu chính đến nhận hồ sơ giấy"), max_length=500, required=False
    )
    result_method = forms.ChoiceField(label=_("Hình thức nhận kết quả"), choices=ResultMethod.choices, widget=forms.RadioSelect)
    result_address = forms.CharField(label=_("Địa chỉ nhận kết quả qua bưu chính"), max_length=500, required=False)

    def __init__(self, *args, procedure, **kwargs):
        super().__init__(*args, **kwargs)
        if not procedure.is_fully_online:
            self.fields["result_method"].choices = [c for c in ResultMethod.choices if c[0] != ResultMethod.ELECTRONIC]
            self.fields["result_method"].help_text = _("Thủ tục mức độ 3: kết quả nhận trực tiếp hoặc qua bưu chính.")

    def clean(self):
        data = super().clean()
        if data.get("submit_method") == SubmitMethod.POST and not data.get("submit_address", "").strip():
            self.add_error("submit_address", _("Vui lòng nhập địa chỉ nhận hồ sơ giấy."))
        if data.get("result_method") == ResultMethod.POST and not data.get("result_address", "").strip():
            self.add_error("result_address", _("Vui lòng nhập địa chỉ nhận kết quả."))
        return data


class ReviewForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi xin cam đoan thông tin kê khai là đúng sự thật và chịu trách nhiệm trước pháp luật."),
        error_messages={"required": _("Vui lòng xác nhận cam đoan trước khi nộp.")},
    )
    captcha = LabelledCaptchaField(error_messages={"invalid": _("Mã xác thực không đúng, vui lòng nhập lại.")})


class SupplementForm(forms.Form):
    """What the citizen sends back: one file field per component the request named, else free files."""

    note = forms.CharField(label=_("Nội dung bổ sung"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    files = MultipleFileField(label=_("Tệp bổ sung"))

    def __init__(self, *args, components=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.components = list(components)
        if self.components:
            del self.fields["files"]
        for component in self.components:
            self.fields[f"files_{component.pk}"] = MultipleFileField(
                label=component.name, help_text=_("Định dạng: %(types)s") % {"types": component.accepted_types},
            )

    def clean(self):
        data = super().clean()
        for component in self.components:
            name = f"files_{component.pk}"
            if name not in self.errors and not data.get(name):
                self.add_error(name, _("Vui lòng chọn tệp cho thành phần này."))
        return data

    def component_files(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"files_{c.pk}") or [] for c in self.components}


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("Lý do rút hồ sơ"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Mức độ hài lòng"),
        coerce=int,
        choices=[(5, _("5 — Rất hài lòng")), (4, _("4 — Hài lòng")), (3, _("3 — Bình thường")), (2, _("2 — Chưa hài lòng")), (1, _("1 — Không hài lòng"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Góp ý"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)


class DossierFilterForm(forms.Form):
    q = forms.CharField(label=_("Mã hồ sơ hoặc tên thủ tục"), required=False, max_length=200)
    status = forms.TypedChoiceField(
        label=_("Trạng thái"), choices=[("", _("Tất cả"))] + list(DossierStatus.choices), coerce=int, required=False,
        empty_value=None,
    )
    overdue = forms.BooleanField(label=_("Quá hạn"), required=False)


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=40)
    key = forms.CharField(label=_("Mã tra cứu (in trên giấy tiếp nhận)"), max_length=12)


class StaffMoveForm(forms.Form):
    """Staff input for a move: a note (reason, what is missing), the components a supplement asks for, files
    (result), a new due date, the post's parcel number of a result sent by post."""

    note = forms.CharField(label=_("Ghi chú / lý do"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    components = forms.ModelMultipleChoiceField(
        label=_("Thành phần cần bổ sung"), queryset=RequiredComponent.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Người nộp thấy đúng các thành phần được chọn; ghi chú nói rõ cần sửa gì."),
    )
    files = MultipleFileField(label=_("Tệp kết quả"))
    due_date = forms.DateField(label=_("Ngày hẹn trả mới"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    postal_tracking = forms.CharField(
        label=_("Mã bưu gửi"), max_length=40, required=False,
        help_text=_("Số hiệu bưu gửi in trên biên nhận của bưu điện, để người nộp theo dõi kết quả gửi qua bưu chính."),
    )

    def __init__(self, *args, action, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .constants import DossierAction
        from .workflow import NOTE_REQUIRED

        self.action = action
        if action in NOTE_REQUIRED:
            self.fields["note"].required = True
        if action == DossierAction.REQUEST_SUPPLEMENT and dossier is not None:
            # Only a paper to upload can be sent back online (a note or a paper shown at the counter cannot).
            self.fields["components"].queryset = dossier.procedure.components.filter(
                role=ComponentRole.UPLOAD
            ).order_by("position", "pk")
        else:
            del self.fields["components"]
        if action not in (DossierAction.FINISH,):
            del self.fields["files"]
        if action != DossierAction.EXTEND:
            del self.fields["due_date"]
        else:
            self.fields["due_date"].required = True
        if action == DossierAction.RETURN_RESULT and dossier is not None and dossier.result_method == ResultMethod.POST:
            self.fields["postal_tracking"].required = True
        else:
            del self.fields["postal_tracking"]
