"""Forms of the accounts pages; messages in Vietnamese, shown next to each field."""

from datetime import date

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.captcha import LabelledCaptchaField

from . import selectors
from .constants import AccountType, Gender
from .models import User
from .validators import cccd_normalise, mst_normalise, phone_normalise

REQUIRED = {"required": _("Vui lòng nhập thông tin này.")}
CHOOSE = {"required": _("Vui lòng chọn."), "invalid_choice": _("Lựa chọn không hợp lệ, vui lòng chọn lại.")}
EMAIL_ERRORS = {**REQUIRED, "invalid": _("Địa chỉ e-mail không hợp lệ (ví dụ: ten@gmail.com).")}


class AddressForm(forms.Form):
    """Phone, e-mail and address (2025 units): the communes offered follow the chosen province."""

    phone = forms.CharField(label=_("Số điện thoại di động"), max_length=20, error_messages=REQUIRED,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.EmailField(label=_("E-mail"), error_messages=EMAIL_ERRORS,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    province_code = forms.TypedChoiceField(label=_("Tỉnh, thành phố"), coerce=int, error_messages=CHOOSE,
                                           widget=forms.Select(attrs={"data-commune-source": "1"}))
    commune_code = forms.TypedChoiceField(label=_("Xã, phường, đặc khu"), coerce=int, error_messages=CHOOSE)
    street_address = forms.CharField(label=_("Số nhà, đường, thôn/tổ"), max_length=255, error_messages=REQUIRED)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province_code"].choices = [("", _("— Chọn tỉnh, thành phố —")), *selectors.province_choices()]
        province = self.data.get(self.add_prefix("province_code")) if self.is_bound else None
        if province is None:
            province = self.initial.get("province_code")
        try:
            communes = selectors.commune_choices(province_code=int(province))
        except (TypeError, ValueError):
            communes = ()
        self.fields["commune_code"].choices = [("", _("— Chọn xã, phường —")), *communes]

    def clean_phone(self):
        return phone_normalise(self.cleaned_data["phone"])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class RegistrationForm(AddressForm):
    """Common part of the two registration tabs: password, captcha."""

    account_type = AccountType.INDIVIDUAL
    password1 = forms.CharField(label=_("Mật khẩu"), strip=False, error_messages=REQUIRED,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("Ít nhất 8 ký tự, không quá phổ biến; có thể dùng cả một câu dài."))
    password2 = forms.CharField(label=_("Nhập lại mật khẩu"), strip=False, error_messages=REQUIRED,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    captcha = LabelledCaptchaField(label=_("Mã xác thực (gõ các ký tự trong hình)"),
                                   error_messages={**REQUIRED, "invalid": _("Mã xác thực không đúng, vui lòng nhập lại.")})

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Hai mật khẩu không giống nhau."))
        elif password1:
            probe = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, user=probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def registration_data(self) -> dict:
        """Return the keyword arguments of services.account_register."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("password1", "password2", "captcha")}
        return {**data, "account_type": self.account_type, "password": self.cleaned_data["password1"]}


class CitizenRegistrationForm(RegistrationForm):
    account_type = AccountType.INDIVIDUAL
    full_name = forms.CharField(label=_("Họ và tên"), max_length=255, error_messages=REQUIRED,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    date_of_birth = forms.DateField(label=_("Ngày sinh"), error_messages={**REQUIRED, "invalid": _("Ngày sinh không hợp lệ.")},
                                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                    input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    gender = forms.ChoiceField(label=_("Giới tính"), choices=Gender.choices, widget=forms.RadioSelect, error_messages=CHOOSE)
    identity_number = forms.CharField(label=_("Số căn cước công dân (CCCD)"), max_length=20, error_messages=REQUIRED,
                                      widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                                      help_text=_("12 chữ số, in trên thẻ căn cước."))

    field_order = ["full_name", "date_of_birth", "gender", "identity_number", "phone", "email",
                   "province_code", "commune_code", "street_address", "password1", "password2", "captcha"]

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value > timezone.localdate() or value < date(1900, 1, 1):
            raise ValidationError(_("Ngày sinh phải từ năm 1900 đến hôm nay."))
        return value

    def clean(self):
        cleaned = super().clean()
        if "identity_number" in cleaned:
            try:
                cleaned["identity_number"] = cccd_normalise(
                    cleaned["identity_number"], date_of_birth=cleaned.get("date_of_birth"), gender=cleaned.get("gender", "")
                )
            except ValidationError as error:
                self.add_error("identity_number", error)
        return cleaned


class OrganisationRegistrationForm(RegistrationForm):
    account_type = AccountType.ORGANISATION
    full_name = forms.CharField(label=_("Tên tổ chức"), max_length=255, error_messages=REQUIRED)
    identity_number = forms.CharField(label=_("Mã số thuế (MST)"), max_length=20, error_messages=REQUIRED,
                                      help_text=_("10 chữ số; chi nhánh: 10 chữ số, dấu “-” và 3 chữ số."))
    representative = forms.CharField(label=_("Người đại diện theo pháp luật"), max_length=255, error_messages=REQUIRED)

    field_order = ["full_name", "identity_number", "representative", "phone", "email",
                   "province_code", "commune_code", "street_address", "password1", "password2", "captcha"]

    def clean_identity_number(self):
        return mst_normalise(self.cleaned_data["identity_number"])


class ProfileForm(AddressForm):
    """The details a user may change; a new e-mail is confirmed before it replaces the old one."""

    full_name = forms.CharField(label=_("Họ và tên / tên tổ chức"), max_length=255, error_messages=REQUIRED)
    representative = forms.CharField(label=_("Người đại diện theo pháp luật"), max_length=255, error_messages=REQUIRED)

    field_order = ["full_name", "representative", "phone", "email", "province_code", "commune_code", "street_address"]

    def __init__(self, *args, user: User, **kwargs):
        initial = {name: getattr(user, name) for name in
                   ("full_name", "representative", "phone", "email", "province_code", "commune_code", "street_address")}
        super().__init__(*args, initial={**initial, **kwargs.pop("initial", {})}, **kwargs)
        if user.account_type != AccountType.ORGANISATION:
            del self.fields["representative"]
        self.fields["email"].help_text = _(
            "Nếu đổi e-mail, địa chỉ mới chỉ có hiệu lực sau khi bạn mở liên kết xác nhận gửi tới nó."
        )


class LoginForm(auth_forms.AuthenticationForm):
    username = forms.CharField(label=_("E-mail hoặc số CCCD / mã số thuế"), max_length=254, error_messages=REQUIRED,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label=_("Mật khẩu"), strip=False, error_messages=REQUIRED,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    remember_me = forms.BooleanField(label=_("Ghi nhớ đăng nhập trên máy này"), required=False)

    error_messages = {
        "invalid_login": _("E-mail, số CCCD/mã số thuế hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản chưa được kích hoạt: hãy mở liên kết xác nhận trong e-mail đăng ký."),
    }
    inactive_account = False

    def confirm_login_allowed(self, user):
        self.inactive_account = not user.is_active
        super().confirm_login_allowed(user)


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail đã đăng ký"), error_messages=EMAIL_ERRORS)


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, sending its e-mail through the outbox like every other e-mail."""

    email = forms.EmailField(label=_("E-mail đã đăng ký"), max_length=254, error_messages=EMAIL_ERRORS,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        from .services import account_send_password_reset

        # Django's context holds the live token; only the account is passed on, the link is made at send time.
        account_send_password_reset(user=context["user"])
