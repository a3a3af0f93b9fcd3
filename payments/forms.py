from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import VNPAY_BANKS, VNPAY_METHODS


class PayForm(forms.Form):
    """The payer's choice: a bank through VNPay (card, QR, international card) or the MoMo wallet."""

    gateway = forms.ChoiceField(
        label=_("Hình thức thanh toán"), widget=forms.RadioSelect,
        choices=[("vnpay", _("Ngân hàng (VNPay)")), ("momo", _("Ví điện tử (MoMo)"))],
        error_messages={"required": _("Vui lòng chọn hình thức thanh toán."),
                        "invalid_choice": _("Hình thức thanh toán không hợp lệ.")},
    )
    method = forms.ChoiceField(label=_("Phương thức"), choices=VNPAY_METHODS, required=False,
                               error_messages={"invalid_choice": _("Phương thức không hợp lệ.")})
    bank = forms.ChoiceField(label=_("Ngân hàng"), choices=[("", _("— Chọn tại VNPay —")), *VNPAY_BANKS], required=False,
                             error_messages={"invalid_choice": _("Ngân hàng không hợp lệ.")})

    def bank_code(self) -> str:
        """vnp_BankCode: a chosen bank takes the payer straight to its card page."""
        if self.cleaned_data["gateway"] != "vnpay":
            return ""
        method = self.cleaned_data.get("method") or ""
        if method == "VNBANK" and self.cleaned_data.get("bank"):
            return self.cleaned_data["bank"]
        return method
