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

    def clean(self):
        data = super().clean()
        if data.get("gateway") == "vnpay" and data.get("bank") and data.get("method") in ("VNPAYQR", "INTCARD"):
            self.add_error("bank", "Chỉ chọn ngân hàng khi thanh toán bằng thẻ ATM / tài khoản nội địa.")
        return data

    def bank_code(self) -> str:
        """vnp_BankCode (VNPay 2.1.0): a bank code takes the payer straight to that bank's card page, VNPAYQR,
        VNBANK or INTCARD to that method's page, nothing to VNPay's own choice. A bank picked here is sent even
        when the method was left at "choose at VNPay": picking a bank says the method, so nobody chooses twice."""
        if self.cleaned_data["gateway"] != "vnpay":
            return ""
        method = self.cleaned_data.get("method") or ""
        bank = self.cleaned_data.get("bank") or ""
        if bank and method in ("", "VNBANK"):
            return bank
        return method
