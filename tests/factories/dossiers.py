"""Dossiers in any state, and the agencies, procedures, citizens and clerks around them, for every app's tests."""

import io
import itertools

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import ROLE_BY_AGENCY_ROLE
from common.events import DOSSIER_EDITED
from dossiers.constants import DossierStatus, FeeStatus, ResultMethod
from dossiers.models import Dossier
from procedures.constants import OnlineLevel, StaffRole
from procedures.models import Agency, AgencyStaff, FeeItem, Field, Procedure, RequiredComponent
from procedures.services import catalogue_rows_saved

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
_seq = itertools.count(1)


def padded_pdf(padding: bytes) -> bytes:
    """A bigger PDF: the padding is a comment after the header, so the file still ends with %%EOF."""
    return PDF.replace(b"\n", b"\n%" + padding + b"\n", 1)


def jpeg_bytes(size=(8, 8)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "JPEG")
    return buffer.getvalue()


def pdf_upload(name="don-de-nghi.pdf", content=None):
    """A PDF upload; without `content`, bytes of its own (the same bytes twice in a dossier are refused)."""
    if content is None:
        content = padded_pdf(f"{name}-{next(_seq)}".encode())
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class Builder:
    """Domain helpers: `b.procedure(...)`, `b.citizen()`, `b.clerk(agency, roles)`, `b.dossier(state, ...)`."""

    def agency(self, code=None, name=None):
        n = next(_seq)
        code = code or f"000.{n % 100:02d}.{n // 100 % 100:02d}.H34"
        return Agency.objects.get_or_create(code=code, defaults={"name": name or f"Sở thử nghiệm {n}"})[0]

    def procedure(
        self,
        code=None,
        *,
        agencies=None,
        components=("Đơn đề nghị", "Bản sao CCCD"),
        optional=(),
        fees=(),
        level=OnlineLevel.FULL,
        days=5,
        pay_first=False,
    ):
        n = next(_seq)
        field, _ = Field.objects.get_or_create(code="test", defaults={"name": "Lĩnh vực thử nghiệm"})
        procedure = Procedure.objects.create(
            code=code or f"1.{n:06d}.000.00.00.H34",
            name=f"Thủ tục cấp giấy phép thử nghiệm số {n}",
            field=field,
            online_level=level,
            processing_days=days,
            pay_before_processing=pay_first,
        )
        procedure.agencies.set(agencies or [self.agency()])
        for position, name in enumerate(components):
            RequiredComponent.objects.create(procedure=procedure, position=position, name=name, is_required=True)
        for position, name in enumerate(optional, start=len(components)):
            RequiredComponent.objects.create(procedure=procedure, position=position, name=name, is_required=False)
        for amount in fees:
            FeeItem.objects.create(procedure=procedure, name="Lệ phí cấp phép", amount=amount)
        catalogue_rows_saved(model=Procedure, pks=[procedure.pk])  # as the catalogue's writers do
        return procedure

    def citizen(self, **extra):
        from accounts.models import User

        n = next(_seq)
        defaults = {
            "full_name": f"Nguyễn Văn Thử {n}",
            "identity_number": f"{n:012d}",
            "phone": "0912345678",
            "street_address": "12 Trần Hưng Đạo, Kon Tum",
            "is_active": True,
        }
        return User.objects.create_user(email=f"citizen{n}@example.vn", password="x-Secret-123", **{**defaults, **extra})

    def clerk(self, agency, roles=(StaffRole.RECEIVE, StaffRole.PROCESS, StaffRole.APPROVE)):
        from accounts.models import User

        n = next(_seq)
        user = User.objects.create_user(
            email=f"clerk{n}@kontum.gov.vn", password="x-Secret-123", full_name=f"Cán bộ {n}", is_active=True,
            is_staff=True,
        )
        for role in roles:
            AgencyStaff.objects.create(user=user, agency=agency, role=role)
            user.groups.add(Group.objects.get(name=ROLE_BY_AGENCY_ROLE[role].group))
        return user

    def dossier(self, status=DossierStatus.SUBMITTED, *, procedure=None, owner=None, **fields):
        """A dossier already in `status` (test set-up only; the product moves status via dossier_move)."""
        procedure = procedure or self.procedure()
        owner = owner or self.citizen()
        n = next(_seq)
        agency = fields.pop("agency", None) or procedure.agencies.first()
        values = {
            "procedure": procedure,
            "agency": agency,
            "owner": owner,
            "status": status,
            "applicant_name": owner.full_name,
            "applicant_identity": owner.identity_number or "",
            "applicant_email": owner.email,
            "applicant_phone": owner.phone,
            "applicant_address": owner.street_address,
            "result_method": ResultMethod.ELECTRONIC,
        }
        if status != DossierStatus.DRAFT:
            now = timezone.now()
            values.update(
                code=f"{agency.code}-{now:%y%m%d}-{9000 + n % 1000:04d}",
                lookup_key="ABC234",
                submitted_at=now,
                wizard_step=4,
                payment_status=FeeStatus.NOT_REQUIRED,
            )
            if status not in (DossierStatus.SUBMITTED, DossierStatus.REFUSED):
                values.update(received_at=now, due_date=timezone.localdate() + timezone.timedelta(days=7))
            if status == DossierStatus.SUPPLEMENT:
                values["paused_on"] = timezone.localdate()
        values.update(fields)
        dossier = Dossier.objects.create(**values)
        DOSSIER_EDITED.emit(dossier=dossier)  # the owner's kept pages show it
        return dossier

    def ready_draft(self, *, procedure=None, owner=None):
        """A draft with every step done and files in every required slot, ready for "Nộp hồ sơ"."""
        from dossiers import services

        procedure = procedure or self.procedure()
        owner = owner or self.citizen()
        draft = services.dossier_draft_get_or_create(user=owner, procedure=procedure)
        for component in procedure.components.all():
            services.dossier_component_files_add(
                dossier=draft, component=component, uploads_list=[pdf_upload()], user=owner, max_files=5
            )
        services.dossier_files_step_done(dossier=draft)
        return services.dossier_delivery_update(
            dossier=draft, submit_method="online", submit_address="", result_method="electronic", result_address=""
        )
