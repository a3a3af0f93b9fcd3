import mimetypes
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST
from django.utils.translation import gettext_lazy as _

from accounts.national import national_loa
from audit.constants import AccessKind
from audit.services import access_record
from common.client import client_ip
from common.downloads import stored_file_response
from idempotency.decorators import idempotent
from procedures.models import Procedure
from representation.middleware import acting_principal

from . import selectors, services, uploads
from .citizen_pages import citizen_page
from .constants import WIZARD_STEPS, DossierAction, DossierStatus, FileKind
from .forms import (
    ApplicantForm,
    DeliveryForm,
    DossierFilterForm,
    LookupForm,
    RatingForm,
    ReviewForm,
    SupplementForm,
    WithdrawForm,
)
from .models import Dossier, DossierFile
from .uploads import CONTENT_TYPES
from .workflow import MoveNotAllowed, allowed_actions


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@login_required
def mine(request):
    """Hồ sơ của tôi."""

    def context():
        form = DossierFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        dossiers = selectors.dossier_list_for_owner(
            user=request.user, status=filters.get("status"), q=filters.get("q", ""),
            overdue=filters.get("overdue", False), principal=acting_principal(request),
        )
        page = Paginator(dossiers, settings.DOSSIER_PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return {"form": form, "page": page, "querystring": query.urlencode()}

    return citizen_page(request, "dossiers/mine.html", context)


@login_required
@idempotent
def start(request, procedure_code):
    """"Nộp hồ sơ trực tuyến": resume the open draft for this procedure or start one (GET from the procedure's
    link, POST from a form or a client with an idempotency key)."""
    procedure = get_object_or_404(Procedure.objects.filter(is_active=True), code=procedure_code)
    try:
        draft = services.dossier_draft_get_or_create(user=request.user, procedure=procedure,
                                                     principal=acting_principal(request))
    except ValidationError as exc:
        # Said here, not by a redirect to the procedure's (cached) page: a message there could go unseen and
        # the citizen would click the same button again.
        return render(request, "dossiers/start_refused.html", {"procedure": procedure, "errors": _errors(exc)},
                      status=409)
    return redirect(draft.get_absolute_url())


def _draft_or_404(request, uuid) -> Dossier:
    try:
        return selectors.dossier_draft_for_owner(user=request.user, uuid=uuid)
    except Dossier.DoesNotExist:
        raise Http404(_("Không tìm thấy hồ sơ"))


@login_required
@idempotent
def wizard(request, uuid, step):
    """The four steps of the submission; every step saves the draft."""
    dossier = _draft_or_404(request, uuid)
    if dossier.status != DossierStatus.DRAFT:
        # A second "Nộp hồ sơ" (double click, another tab, a retry with a new key) lands on the dossier submitted.
        messages.info(request, _("Hồ sơ này đã được nộp. Mã hồ sơ: %(code)s.") % {"code": dossier.code})
        return redirect("dossiers:detail", code=dossier.code)
    if step not in dict(WIZARD_STEPS) or step > dossier.wizard_step + 1:
        return redirect("dossiers:wizard", uuid=dossier.uuid, step=min(dossier.wizard_step + 1, 4))
    handler = {1: _step_applicant, 2: _step_files, 3: _step_delivery, 4: _step_review}[step]
    context = handler(request, dossier)
    if not isinstance(context, dict):
        return context
    status = context.pop("status_code", 200)
    return render(
        request,
        "dossiers/wizard.html",
        {"dossier": dossier, "procedure": dossier.procedure, "step": step, "steps": WIZARD_STEPS, **context},
        status=status,
    )


def _next(dossier, step):
    return redirect("dossiers:wizard", uuid=dossier.uuid, step=step)


def _step_applicant(request, dossier):
    initial = {
        "applicant_name": dossier.applicant_name,
        "applicant_identity": dossier.applicant_identity,
        "applicant_phone": dossier.applicant_phone,
        "applicant_email": dossier.applicant_email,
        "applicant_address": dossier.applicant_address,
        "applicant_province_code": dossier.applicant_province_code,
        "applicant_commune_code": dossier.applicant_commune_code,
        "agency": dossier.agency_id,
    }
    if request.method == "POST" and "refresh" in request.POST:
        # Without JavaScript, choosing a province re-renders the step with its communes, no errors yet.
        kept = {name: request.POST.get(name) for name in initial if name in request.POST}
        return {"form": ApplicantForm(initial={**initial, **kept}, procedure=dossier.procedure)}
    form = ApplicantForm(request.POST or None, initial=initial, procedure=dossier.procedure)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.dossier_applicant_update(
                dossier=dossier,
                name=data["applicant_name"],
                identity=data["applicant_identity"],
                phone=data["applicant_phone"],
                email=data["applicant_email"],
                address=data["applicant_address"],
                province_code=data["applicant_province_code"],
                commune_code=data["applicant_commune_code"],
                agency=data.get("agency"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _next(dossier, 2)
    return {"form": form}


def _component_slots(asked, files, errors, *, applies, missing) -> list[dict]:
    """One slot per upload the dossier's case shows (conditional ones with their tick), with its files."""
    missing = {c.pk for c in missing}
    return [
        {
            "component": c,
            "files": [f for f in files if f.component_id == c.pk],
            "errors": errors.get(c.pk, []),
            "applies": c.pk in applies,
            "missing": c.pk in missing,
        }
        for c in asked.upload_slots
    ]


def _request_too_large(request) -> bool:
    """Refuse a request bigger than a whole dossier before its body is read (and spooled to disk)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > uploads.max_total_bytes() + 1024 * 1024


def _posted_answers(request, asked) -> tuple[dict, dict]:
    """The ticks and numbers of the components the page showed (an unticked box is simply absent)."""
    applies = {c.pk: f"applies_{c.pk}" in request.POST for c in asked.components if c.condition}
    numbers = {c.pk: request.POST.get(f"number_{c.pk}", "") for c in asked.shown if c.asks_number}
    return applies, numbers


def _step_files(request, dossier):
    """Step 2: the case (when the procedure has several), then only what that case asks online."""
    asked = selectors.dossier_asked(dossier=dossier)
    posted = _FilesPosted(applies=set(asked.applies), numbers=dict(asked.numbers))
    if request.method == "POST" and _request_too_large(request):
        posted.general = [_("Tổng dung lượng tải lên vượt quá %(mb)s MB.") % {"mb": settings.DOSSIER_MAX_TOTAL_MB}]
    elif request.method == "POST":
        _answers_save(request, dossier, asked, posted)
        _uploads_save(request, dossier, asked, posted)
        asked, case_changed = _case_save(request, dossier, asked, posted)
        refused = posted.errors or posted.number_errors or posted.case_errors
        if not refused and request.POST.get("action") == "next" and not case_changed:
            dossier.refresh_from_db()
            try:
                services.dossier_files_step_done(dossier=dossier)
            except ValidationError as exc:
                if getattr(exc, "code", "") == "case":
                    posted.case_errors = _errors(exc)
                else:
                    posted.general = _errors(exc)
                    posted.missing = services.dossier_files_complete(dossier=dossier)
            else:
                return _next(dossier, 3)
        elif not refused:
            messages.success(request, _("Đã lưu tệp vào hồ sơ nháp.") if not case_changed
                             else _("Đã chọn trường hợp. Vui lòng kiểm tra giấy tờ cần nộp bên dưới."))
            return _next(dossier, 2)
    if (posted.errors or posted.number_errors) and not posted.general:
        # The field may be far down a phone's screen: say at the top that there is something to fix below.
        posted.general = [_("Vui lòng sửa mục được đánh dấu đỏ bên dưới.")]
    return _files_context(dossier, asked, posted)


@dataclass
class _FilesPosted:
    """What step 2 was sent and what it refused, kept to show the page again as the citizen left it."""

    applies: set
    numbers: dict
    errors: dict = dataclass_field(default_factory=dict)  # component pk -> the upload's refusals
    number_errors: dict = dataclass_field(default_factory=dict)  # component pk -> the typed number's refusals
    case_errors: list = dataclass_field(default_factory=list)
    general: list = dataclass_field(default_factory=list)
    missing: list = dataclass_field(default_factory=list)  # mandatory components still without a file or number


def _answers_save(request, dossier, asked, posted: _FilesPosted) -> None:
    """The conditions ticked and the numbers typed, when the page showed the components (not the case alone)."""
    if "answers" not in request.POST:
        return
    posted_applies, posted_numbers = _posted_answers(request, asked)
    # Shown again as typed, whether saved or refused.
    posted.applies = (posted.applies - set(posted_applies)) | {pk for pk, on in posted_applies.items() if on}
    posted.numbers.update(posted_numbers)
    try:
        services.dossier_component_answers_update(dossier=dossier, applies=posted_applies, numbers=posted_numbers)
    except ValidationError as exc:
        posted.number_errors = {int(pk): messages_ for pk, messages_ in exc.message_dict.items()}


def _uploads_save(request, dossier, asked, posted: _FilesPosted) -> None:
    for component in asked.upload_slots:
        uploaded = request.FILES.getlist(f"files_{component.pk}")
        if not uploaded:
            continue
        try:
            services.dossier_component_files_add(
                dossier=dossier, component=component, uploads_list=uploaded, user=request.user,
                max_files=settings.DOSSIER_MAX_FILES_PER_COMPONENT,
            )
        except ValidationError as exc:
            posted.errors[component.pk] = _errors(exc)


def _case_save(request, dossier, asked, posted: _FilesPosted):
    """The case chosen (when there are several): return what the dossier now asks, and whether the case changed."""
    case = request.POST.get("case")
    case_changed = bool(asked.cases) and case is not None and case != asked.case
    if asked.case_missing and not case_changed:
        posted.case_errors = [_("Vui lòng chọn trường hợp của bạn.")]
    elif case_changed:
        try:
            services.dossier_case_set(dossier=dossier, case=case)
        except ValidationError as exc:
            posted.case_errors, case_changed = _errors(exc), False
    if case_changed:
        dossier.refresh_from_db()
        asked = selectors.dossier_asked(dossier=dossier)
    return asked, case_changed


def _files_context(dossier, asked, posted: _FilesPosted) -> dict:
    files = list(dossier.files.filter(kind=FileKind.APPLICATION).select_related("component").order_by("id"))
    slots = _component_slots(asked, files, posted.errors, applies=posted.applies, missing=posted.missing)
    in_slots = {slot["component"].pk for slot in slots}
    missing_numbers = {c.pk for c in posted.missing}
    return {
        "asked": asked,
        "slots": slots,
        "shown": [
            {
                "component": c,
                "number": posted.numbers[c.pk] if c.pk in posted.numbers else _identity_default(dossier, c),
                "errors": posted.number_errors.get(c.pk)
                or ([_("Vui lòng nhập số giấy tờ này.")] if c.pk in missing_numbers else []),
                "applies": c.pk in posted.applies,
            }
            for c in asked.shown
        ],
        # Files of components the chosen case no longer asks for: kept on the draft, not required, deletable.
        "stray_files": [f for f in files if f.component_id not in in_slots],
        "draft_files": files,
        "case_errors": posted.case_errors,
        "general_errors": posted.general,
        "max_file_mb": settings.DOSSIER_MAX_FILE_MB,
        "max_total_mb": settings.DOSSIER_MAX_TOTAL_MB,
        "max_files": settings.DOSSIER_MAX_FILES_PER_COMPONENT,
        "status_code": 400 if posted.errors or posted.general or posted.number_errors or posted.case_errors else 200,
    }


def _identity_default(dossier, component) -> str:
    """The applicant's own identity number, offered for their identity paper until they type one."""
    if component.asks_number and len(dossier.applicant_identity) == 12 and dossier.applicant_identity.isdigit():
        return dossier.applicant_identity
    return ""


def _step_delivery(request, dossier):
    initial = {
        "submit_method": dossier.submit_method,
        "submit_address": dossier.submit_address or dossier.applicant_full_address,
        "result_method": dossier.result_method,
        "result_address": dossier.result_address or dossier.applicant_full_address,
    }
    form = DeliveryForm(request.POST or None, initial=initial, procedure=dossier.procedure)
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_delivery_update(dossier=dossier, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("result_method", exc)
        else:
            return _next(dossier, 4)
    return {"form": form}


def _summary_context(dossier) -> dict:
    return {"summary": selectors.dossier_component_summary(dossier=dossier)}


def _step_review(request, dossier):
    form = ReviewForm(request.POST or None)
    general = []
    national_login_needed = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_assurance_check(procedure=dossier.procedure, national_loa=national_loa(request.session))
            submitted = services.dossier_submit(dossier=dossier, user=request.user)
        except ValidationError as exc:
            general = _errors(exc)
            if exc.code == "national_login":
                national_login_needed = reverse("accounts:national_login") + "?" + urlencode({"next": request.path})
        else:
            messages.success(request, _("Đã nộp hồ sơ thành công. Mã hồ sơ: %(code)s.") % {"code": submitted.code})
            return redirect("dossiers:detail", code=submitted.code)
    return {
        "form": form,
        **_summary_context(dossier),
        "fees": dossier.procedure.fees.all(),
        "general_errors": general,
        "national_login_needed": national_login_needed,
        "status_code": 403 if national_login_needed else 200,
    }


@login_required
@require_POST
def draft_file_delete(request, uuid, file_uuid):
    dossier = _draft_or_404(request, uuid)
    dossier_file = get_object_or_404(DossierFile, dossier=dossier, uuid=file_uuid)
    try:
        services.dossier_file_delete(dossier_file=dossier_file)
    except ValidationError as exc:
        messages.error(request, " ".join(_errors(exc)))
    return _next(dossier, 2)


def _owned_or_404(request, code) -> Dossier:
    try:
        return selectors.dossier_get_for_owner(user=request.user, code=code, principal=acting_principal(request))
    except Dossier.DoesNotExist:
        raise Http404(_("Không tìm thấy hồ sơ"))


@login_required
def detail(request, code):
    """One dossier: timeline, files, the result by its channel, and what the citizen can do now."""
    if request.method != "POST":
        return citizen_page(request, "dossiers/detail.html",
                            lambda: _detail_context(request, _owned_or_404(request, code)))
    dossier = _owned_or_404(request, code)
    supplement_request = services.dossier_supplement_request(dossier=dossier)
    asked = list(supplement_request.components.all()) if supplement_request is not None else []
    forms = {"supplement": SupplementForm(components=asked), "withdraw": WithdrawForm(), "rate": RatingForm()}
    what = request.POST.get("what")
    try:
        if what == "supplement":
            form = forms["supplement"] = SupplementForm(request.POST, request.FILES, components=asked)
            if form.is_valid():
                services.dossier_supplement_answer(
                    dossier=dossier,
                    user=request.user,
                    note=form.cleaned_data["note"],
                    files=request.FILES.getlist("files") if not asked else [],
                    component_files=form.component_files(),
                )
                messages.success(request, _("Đã gửi hồ sơ bổ sung."))
                return redirect("dossiers:detail", code=code)
        elif what == "withdraw":
            form = forms["withdraw"] = WithdrawForm(request.POST)
            if form.is_valid():
                services.dossier_move(
                    dossier=dossier, action=DossierAction.WITHDRAW, actor=request.user,
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("Đã gửi yêu cầu rút hồ sơ."))
                return redirect("dossiers:detail", code=code)
        elif what == "rate":
            form = forms["rate"] = RatingForm(request.POST)
            if form.is_valid():
                services.dossier_rate(
                    dossier=dossier, user=request.user, rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                )
                messages.success(request, _("Cảm ơn bạn đã đánh giá."))
                return redirect("dossiers:detail", code=code)
    except ValidationError as exc:
        forms[what].add_error(None, exc)
    except MoveNotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("dossiers:detail", code=code)
    # A refused form: the page again with its errors, rendered for this request only.
    return citizen_page(
        request, "dossiers/detail.html",
        lambda: _detail_context(request, dossier, supplement_request=supplement_request, asked=asked, **forms),
        status=400,
    )


def _detail_context(request, dossier, *, supplement_request=None, asked=None, supplement=None, withdraw=None,
                    rate=None) -> dict:
    actions = allowed_actions(dossier=dossier, actor=request.user)
    if asked is None:
        supplement_request = services.dossier_supplement_request(dossier=dossier)
        asked = list(supplement_request.components.all()) if supplement_request is not None else []
    files = list(dossier.files.select_related("component").order_by("kind", "id"))
    return {
        "dossier": dossier,
        "events": selectors.dossier_timeline(dossier=dossier),
        "own_files": [f for f in files if f.kind != FileKind.RESULT],
        "result_files": [f for f in files if f.kind == FileKind.RESULT]
        if selectors.dossier_result_visible(dossier=dossier) else [],
        "can_supplement": DossierAction.ANSWER_SUPPLEMENT in actions,
        "can_withdraw": DossierAction.WITHDRAW in actions,
        "can_rate": dossier.status == DossierStatus.RETURNED and dossier.rating is None,
        "supplement_form": SupplementForm(components=asked) if supplement is None else supplement,
        "withdraw_form": WithdrawForm() if withdraw is None else withdraw,
        "rating_form": RatingForm() if rate is None else rate,
        "supplement_request": supplement_request,
        "supplement_components": asked,
        **_summary_context(dossier),
    }


def file_download(request, uuid):
    """Hand a dossier file to its owner or to staff of the dossier's agency; 404 for anyone else."""
    try:
        dossier_file = selectors.dossier_file_for_user(user=request.user, uuid=uuid)
    except DossierFile.DoesNotExist:
        raise Http404(_("Không tìm thấy tệp"))
    if dossier_file.dossier.owner_id != acting_principal(request).pk:
        access_record(request=request, kind=AccessKind.FILE, ref=str(dossier_file.uuid))
    content_type = CONTENT_TYPES.get(dossier_file.file_type) or mimetypes.guess_type(dossier_file.original_name)[0]
    return stored_file_response(
        name=dossier_file.file.name,
        filename=dossier_file.original_name,
        content_type=content_type or "application/octet-stream",
    )


def receipt(request, code):
    """The receipt PDF (giấy tiếp nhận) of a received dossier, for its owner or the agency's staff."""
    from .pdf import dossier_receipt_pdf

    dossier = None
    if request.user.is_authenticated:
        dossier = (
            selectors.dossier_staff_queryset(user=request.user).filter(code=code).first()
            or selectors.dossiers_accessible(user=request.user).filter(code=code).first()
        )
    if dossier is None or dossier.received_at is None:
        raise Http404(_("Không tìm thấy hồ sơ"))
    if dossier.owner_id != request.user.pk:
        access_record(request=request, kind=AccessKind.RECEIPT, ref=dossier.code)
    response = HttpResponse(dossier_receipt_pdf(dossier=dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-tiep-nhan-{dossier.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def lookup(request):
    """Tra cứu hồ sơ: code + lookup key; shows status and timeline, no personal data.

    The key is sent by POST only: a GET form would leave it in the browser's history, in the access logs and
    in the Referer of the next page. A link (the receipt's QR code, an e-mail) carries only the code, which
    the form shows filled in; the reader types the key printed beside it. An old printed QR code that still
    carries the key fills the form too but looks nothing up until the reader presses "Tra cứu".
    """
    if request.method == "POST":
        form = LookupForm(request.POST)
    else:
        form = LookupForm(initial={name: request.GET.get(name, "")[:40] for name in ("code", "key")})
    dossier, status = None, 200
    if form.is_bound and form.is_valid():
        answer = selectors.dossier_lookup_limited(code=form.cleaned_data["code"], key=form.cleaned_data["key"],
                                                  client=client_ip(request))
        dossier = answer.dossier
        if answer.limited:
            form.add_error(None, _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút."))
            status = 429
        elif dossier is None:
            form.add_error(None, _("Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này."))
            status = 404
    events = selectors.dossier_timeline(dossier=dossier) if dossier else []
    return render(request, "dossiers/lookup.html", {"form": form, "dossier": dossier, "events": events}, status=status)
