from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PaperForm(forms.Form):
    """A paper the citizen keeps: the file, what it is, who issued it, its number and dates."""

    file = forms.FileField(label=_("Tệp giấy tờ (PDF, ảnh, Word, Excel)"))
    title = forms.CharField(label=_("Tên giấy tờ"), max_length=255,
                            help_text=_("Ví dụ: Giấy khai sinh, Căn cước công dân, Bằng tốt nghiệp."))
    issuer = forms.CharField(label=_("Cơ quan cấp"), max_length=255, required=False)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("Ngày cấp"), required=False, widget=DATE,
                                error_messages={"invalid": _("Ngày không hợp lệ.")})
    expires_on = forms.DateField(label=_("Ngày hết hạn"), required=False, widget=DATE,
                                 error_messages={"invalid": _("Ngày không hợp lệ.")})

    def clean(self):
        data = super().clean()
        if data.get("issued_on") and data.get("expires_on") and data["expires_on"] < data["issued_on"]:
            self.add_error("expires_on", _("Ngày hết hạn phải sau ngày cấp."))
        return data


class ShareForm(forms.Form):
    identity_number = forms.CharField(label=_("Số CCCD của người được chia sẻ"), max_length=20)
