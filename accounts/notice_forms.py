"""Forms of the notice settings page (/tai-khoan/thong-bao/): the phone, its code, the channels."""

from django import forms
from django.utils.translation import gettext_lazy as _

REQUIRED = {"required": _("Vui lòng nhập thông tin này.")}


class NoticePhoneForm(forms.Form):
    phone = forms.CharField(label=_("Số điện thoại di động nhận tin"), max_length=20, error_messages=REQUIRED,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))


class NoticeCodeForm(forms.Form):
    code = forms.CharField(label=_("Mã xác minh (6 chữ số) đã gửi tới số của bạn"), max_length=6, min_length=6,
                           error_messages={**REQUIRED, "min_length": _("Mã gồm 6 chữ số.")},
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


class NoticeChannelsForm(forms.Form):
    sms = forms.BooleanField(label=_("Nhận tin nhắn SMS khi hồ sơ đổi trạng thái"), required=False)
    zalo = forms.BooleanField(label=_("Nhận tin Zalo (OA Cổng Dịch vụ công) khi hồ sơ đổi trạng thái"), required=False)

    def __init__(self, *args, channels=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("sms", "zalo"):
            if name not in channels:
                del self.fields[name]
