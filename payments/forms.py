from django import forms

from .constants import VNPAY_BANKS, VNPAY_METHODS


class PayForm(forms.Form):
    """The payer's choice: a bank through VNPay (card, QR, international card) or the MoMo wallet."""

    gateway = forms.ChoiceField(
        label="Hình thức thanh toán", widget=forms.RadioSelect,
        choices=[("vnpay", "Ngân hàng (VNPay)"), ("momo", "Ví điện tử (MoMo)")],
        error_messages={"required": "Vui lòng chọn hình thức thanh toán.",
                        "invalid_choice": "Hình thức thanh toán không hợp lệ."},
    )
    method = forms.ChoiceField(label="Phương thức", choices=VNPAY_METHODS, required=False,
                               error_messages={"invalid_choice": "Phương thức không hợp lệ."})
    bank = forms.ChoiceField(label="Ngân hàng", choices=[("", "— Chọn tại VNPay —"), *VNPAY_BANKS], required=False,
                             error_messages={"invalid_choice": "Ngân hàng không hợp lệ."})

    def bank_code(self) -> str:
        """vnp_BankCode: a chosen bank takes the payer straight to its card page."""
        if self.cleaned_data["gateway"] != "vnpay":
            return ""
        method = self.cleaned_data.get("method") or ""
        if method == "VNBANK" and self.cleaned_data.get("bank"):
            return self.cleaned_data["bank"]
        return method
