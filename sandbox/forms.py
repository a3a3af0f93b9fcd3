from django import forms

from .constants import TEST_CVV, VNPAY_ATM_CARDS, VNPAY_INTERNATIONAL_CARDS, IpnMode


class IpnModeForm(forms.Form):
    ipn_mode = forms.ChoiceField(
        label="Mô phỏng IPN gửi về website đối tác", choices=IpnMode.choices, initial=IpnMode.NORMAL,
        help_text="Chọn cách cổng thanh toán báo kết quả cho website đối tác (server-to-server).",
    )


def _digits(value: str) -> str:
    return "".join(value.split()).replace("-", "")


class AtmCardForm(forms.Form):
    card_number = forms.CharField(label="Số thẻ", max_length=23, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    holder = forms.CharField(label="Tên chủ thẻ (không dấu)", max_length=50)
    issue_date = forms.CharField(label="Ngày phát hành (MM/YY)", max_length=5, widget=forms.TextInput(attrs={"placeholder": "MM/YY"}))

    outcome = ""

    def __init__(self, *args, bank: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.cards = VNPAY_ATM_CARDS[bank]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        key = (_digits(data["card_number"]), " ".join(data["holder"].upper().split()), data["issue_date"].strip())
        if key not in self.cards:
            self.add_error("card_number", "Thông tin thẻ không đúng. Hãy dùng một thẻ thử nghiệm trong bảng bên dưới.")
        else:
            self.outcome = self.cards[key]
        return data


class InternationalCardForm(forms.Form):
    card_number = forms.CharField(label="Số thẻ", max_length=23, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    expiry = forms.CharField(label="Ngày hết hạn (MM/YY)", max_length=5, widget=forms.TextInput(attrs={"placeholder": "MM/YY"}))
    cvv = forms.CharField(label="Mã CVV/CVC", max_length=4, widget=forms.PasswordInput(attrs={"inputmode": "numeric"}))
    holder = forms.CharField(label="Tên chủ thẻ (không dấu)", max_length=50)

    outcome = ""
    card_type = ""

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        key = (_digits(data["card_number"]), " ".join(data["holder"].upper().split()), data["expiry"].strip())
        if key not in VNPAY_INTERNATIONAL_CARDS:
            self.add_error("card_number", "Thông tin thẻ không đúng. Hãy dùng một thẻ thử nghiệm trong bảng bên dưới.")
        elif data["cvv"].strip() != TEST_CVV:
            self.add_error("cvv", "Mã CVV/CVC không đúng.")
        else:
            self.card_type, self.outcome = VNPAY_INTERNATIONAL_CARDS[key]
        return data


class OtpForm(IpnModeForm):
    otp = forms.CharField(label="Mã OTP", max_length=6, min_length=6,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    field_order = ["otp", "ipn_mode"]
