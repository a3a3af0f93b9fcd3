"""Each agency's signing key, as the operator configured it: where the key is, never the key itself."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import SignerKind


class AgencySigner(models.Model):
    """How the portal signs the documents an agency issues (receipts, e-receipts).

    A row per agency, managed by the operator in the admin, so a new agency or a renewed certificate needs no
    deployment. The row holds only paths, token labels and the *name* of the environment variable that holds a
    passphrase or PIN: the key stays in a file readable by the portal's user, on a token or at the remote signing
    service, and never enters the database or the repository.
    """

    agency = models.OneToOneField(
        "procedures.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="signer"
    )
    kind = models.CharField(_("cách ký"), max_length=10, choices=SignerKind.choices, default=SignerKind.FILE)
    key_path = models.CharField(
        _("đường dẫn tệp khóa"), max_length=500, blank=True,
        help_text=_("Tệp PKCS#12 (.p12, .pfx) chứa khóa và chứng thư, hoặc tệp khóa PEM; trên máy chủ, ngoài mã nguồn."),
    )
    cert_path = models.CharField(
        _("đường dẫn chứng thư (PEM)"), max_length=500, blank=True,
        help_text=_("Chỉ khi tệp khóa là PEM: chứng thư số của cơ quan."),
    )
    chain_path = models.CharField(
        _("đường dẫn chuỗi chứng thư (PEM)"), max_length=500, blank=True,
        help_text=_("Chứng thư của các CA cấp trên, để đính kèm vào chữ ký (không bắt buộc)."),
    )
    secret_env = models.CharField(
        _("biến môi trường chứa mật khẩu/PIN"), max_length=100, blank=True,
        help_text=_("Tên biến môi trường (không phải mật khẩu): ví dụ SIGNER_SOTUPHAP_PIN."),
    )
    pkcs11_module = models.CharField(_("thư viện PKCS#11"), max_length=500, blank=True)
    pkcs11_token = models.CharField(_("nhãn token PKCS#11"), max_length=100, blank=True)
    pkcs11_key_label = models.CharField(_("nhãn khóa PKCS#11"), max_length=100, blank=True)
    pkcs11_cert_label = models.CharField(_("nhãn chứng thư PKCS#11"), max_length=100, blank=True)
    remote_service = models.CharField(
        _("dịch vụ ký từ xa"), max_length=50, blank=True,
        help_text=_("Tên dịch vụ ký từ xa đã đăng ký trong mã nguồn (signatures.remote)."),
    )
    location = models.CharField(_("nơi ký"), max_length=100, blank=True, default="Kon Tum")
    active = models.BooleanField(_("đang dùng"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("chữ ký số của cơ quan")
        verbose_name_plural = _("chữ ký số của cơ quan")

    def __str__(self):
        return f"{self.agency} ({self.get_kind_display()})"

    def clean(self):
        needed = {
            SignerKind.FILE: ["key_path"],
            SignerKind.PKCS11: ["pkcs11_module", "pkcs11_token", "pkcs11_key_label"],
            SignerKind.REMOTE: ["remote_service"],
        }[self.kind]
        missing = {name: _("Cần điền cho cách ký này.") for name in needed if not getattr(self, name)}
        if missing:
            raise ValidationError(missing)


class SignedDocument(models.Model):
    """A document the portal signed, kept in the default storage (private) and served again as it was.

    `digest` is the SHA-256 of the unsigned PDF and of the signer's configuration: the same content signed with
    the same key is found again; a receipt that says something else (a new due date, a refund, another language)
    or a signer the operator changed gives another digest and a new signature. `name` stays empty until the
    signed file is stored; the row is what two first downloads lock so that only one of them signs.
    """

    digest = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name or self.digest
