from django import forms
from django.core.validators import RegexValidator

from common.captcha import LabelledCaptchaField
from procedures.models import Agency

from .constants import DossierStatus, ResultMethod, SubmitMethod

identity_validator = RegexValidator(
    r"^(\d{12}|\d{10}|\d{13}|\d{10}-\d{3})$", "Số CCCD gồm 12 chữ số; mã số thuế gồm 10 hoặc 13 chữ số."
)
phone_validator = RegexValidator(r"^0\d{9}$", "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0.")


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


class ApplicantForm(forms.Form):
    applicant_name = forms.CharField(label="Họ và tên người nộp / tên tổ chức", max_length=255)
    applicant_identity = forms.CharField(label="Số CCCD / mã số thuế", max_length=20, validators=[identity_validator])
    applicant_phone = forms.CharField(label="Số điện thoại", max_length=20)
    applicant_email = forms.EmailField(label="E-mail nhận thông báo")
    applicant_address = forms.CharField(label="Địa chỉ", max_length=500)
    agency = forms.ModelChoiceField(label="Cơ quan tiếp nhận", queryset=Agency.objects.none(), required=False)

    def __init__(self, *args, procedure, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = procedure.agencies.order_by("pk")
        if agencies.count() > 1:
            self.fields["agency"].queryset = agencies
            self.fields["agency"].required = True
            self.fields["agency"].empty_label = None
        else:
            del self.fields["agency"]

    def clean_applicant_phone(self):
        """Accept "0905 123 456" or "0905.123.456"; keep the digits only."""
        phone = "".join(ch for ch in self.cleaned_data["applicant_phone"] if ch not in " .-")
        phone_validator(phone)
        return phone


class DeliveryForm(forms.Form):
    submit_method = forms.ChoiceField(label="Hình thức nộp hồ sơ", choices=SubmitMethod.choices, widget=forms.RadioSelect)
    submit_address = forms.CharField(
        label="Địa chỉ để nhân viên bưu chính đến nhận hồ sơ giấy", max_length=500, required=False
    )
    result_method = forms.ChoiceField(label="Hình thức nhận kết quả", choices=ResultMethod.choices, widget=forms.RadioSelect)
    result_address = forms.CharField(label="Địa chỉ nhận kết quả qua bưu chính", max_length=500, required=False)

    def __init__(self, *args, procedure, **kwargs):
        super().__init__(*args, **kwargs)
        if not procedure.is_fully_online:
            self.fields["result_method"].choices = [c for c in ResultMethod.choices if c[0] != ResultMethod.ELECTRONIC]
            self.fields["result_method"].help_text = "Thủ tục mức độ 3: kết quả nhận trực tiếp hoặc qua bưu chính."

    def clean(self):
        data = super().clean()
        if data.get("submit_method") == SubmitMethod.POST and not data.get("submit_address", "").strip():
            self.add_error("submit_address", "Vui lòng nhập địa chỉ nhận hồ sơ giấy.")
        if data.get("result_method") == ResultMethod.POST and not data.get("result_address", "").strip():
            self.add_error("result_address", "Vui lòng nhập địa chỉ nhận kết quả.")
        return data


class ReviewForm(forms.Form):
    confirm = forms.BooleanField(
        label="Tôi xin cam đoan thông tin kê khai là đúng sự thật và chịu trách nhiệm trước pháp luật.",
        error_messages={"required": "Vui lòng xác nhận cam đoan trước khi nộp."},
    )
    captcha = LabelledCaptchaField(
        label="Mã xác nhận", error_messages={"invalid": "Mã xác nhận không đúng, vui lòng nhập lại."}
    )


class SupplementForm(forms.Form):
    note = forms.CharField(label="Nội dung bổ sung", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    files = MultipleFileField(label="Tệp bổ sung")


class WithdrawForm(forms.Form):
    note = forms.CharField(label="Lý do rút hồ sơ", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Mức độ hài lòng",
        coerce=int,
        choices=[(5, "5 — Rất hài lòng"), (4, "4 — Hài lòng"), (3, "3 — Bình thường"), (2, "2 — Chưa hài lòng"), (1, "1 — Không hài lòng")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label="Góp ý", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)


class DossierFilterForm(forms.Form):
    q = forms.CharField(label="Mã hồ sơ hoặc tên thủ tục", required=False, max_length=200)
    status = forms.TypedChoiceField(
        label="Trạng thái", choices=[("", "Tất cả")] + list(DossierStatus.choices), coerce=int, required=False,
        empty_value=None,
    )
    overdue = forms.BooleanField(label="Quá hạn", required=False)


class LookupForm(forms.Form):
    code = forms.CharField(label="Mã hồ sơ", max_length=40)
    key = forms.CharField(label="Mã tra cứu (in trên giấy tiếp nhận)", max_length=12)


class StaffMoveForm(forms.Form):
    """Staff input for a move: a note (reason, what is missing), files (result), a new due date."""

    note = forms.CharField(label="Ghi chú / lý do", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    files = MultipleFileField(label="Tệp kết quả")
    due_date = forms.DateField(label="Ngày hẹn trả mới", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        from .constants import DossierAction
        from .workflow import NOTE_REQUIRED

        self.action = action
        if action in NOTE_REQUIRED:
            self.fields["note"].required = True
        if action not in (DossierAction.FINISH,):
            del self.fields["files"]
        if action != DossierAction.EXTEND:
            del self.fields["due_date"]
        else:
            self.fields["due_date"].required = True
