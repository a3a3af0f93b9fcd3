from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    document = forms.FileField(
        label=_("Văn bản điện tử (PDF)"),
        help_text=_("Tệp PDF có chữ ký số, tối đa %(mb)s MB. Tệp chỉ được dùng để kiểm tra, không được lưu lại."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["document"]
        field.help_text = field.help_text % {"mb": settings.SIGNATURES_VERIFY_MAX_BYTES // 2**20}

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > settings.SIGNATURES_VERIFY_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp lớn hơn %(mb)s MB; vui lòng chọn tệp nhỏ hơn."),
                params={"mb": settings.SIGNATURES_VERIFY_MAX_BYTES // 2**20}, code="size")
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("Tệp “%(name)s” không phải tệp PDF."), params={"name": upload.name},
                                        code="type")
        return upload
