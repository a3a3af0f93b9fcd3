"""The citizen's wallet page (/tai-khoan/kho-giay-to/) and its actions; thin: the rules are in services."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.downloads import stored_file_response
from dossiers.constants import DossierStatus, FileKind
from dossiers.models import Dossier, DossierFile
from dossiers.uploads import CONTENT_TYPES
from procedures.models import RequiredComponent

from . import services
from .forms import PaperForm, ShareForm
from .models import WalletItem, WalletShare
from .selectors import items_visible_to, share_choices


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def index(request):
    form, status = PaperForm(), 200
    if request.method == "POST":
        form = PaperForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            paper = services.Paper(title=data["title"], issuer=data["issuer"], number=data["number"],
                                   issued_on=data["issued_on"], expires_on=data["expires_on"])
            try:
                services.wallet_item_keep(owner=request.user, upload=data["file"], paper=paper, kind_name=data["title"])
            except ValidationError as exc:
                form.add_error("file", _message(exc))
                status = 429 if getattr(exc, "code", None) == "rate" else 200
            else:
                messages.success(request, _("Đã lưu giấy tờ vào kho."))
                return redirect("wallet:index")
    # The issued results' signature checks are on their dossier files: read with the items, not one by one.
    items = list(items_visible_to(user=request.user).select_related("source_file").prefetch_related("shares__person"))
    own = [i for i in items if i.owner_id == request.user.pk]
    return render(request, "wallet/index.html", {
        "form": form, "share_form": ShareForm(), "own": own,
        "shared": [i for i in items if i.owner_id != request.user.pk],
        "share_choices": share_choices(user=request.user, items=own),
    }, status=status)


def _visible(request, uuid) -> WalletItem:
    try:
        uuid = UUID(str(uuid))
    except ValueError:
        raise Http404(_("Không tìm thấy giấy tờ"))
    item = items_visible_to(user=request.user).filter(uuid=uuid).first()
    if item is None:
        raise Http404(_("Không tìm thấy giấy tờ"))
    return item


@login_required
def download(request, uuid):
    item = _visible(request, uuid)
    return stored_file_response(name=item.blob.name, filename=item.original_name,
                                content_type=CONTENT_TYPES.get(item.file_type) or "application/octet-stream")


def _own(request, uuid) -> WalletItem:
    item = _visible(request, uuid)
    if item.owner_id != request.user.pk:
        raise Http404(_("Không tìm thấy giấy tờ"))
    return item


@login_required
@require_POST
def delete(request, uuid):
    services.wallet_item_delete(user=request.user, item=_own(request, uuid))
    messages.success(request, _("Đã xóa giấy tờ khỏi kho. Hồ sơ đã dùng giấy tờ này vẫn giữ nguyên tệp."))
    return redirect("wallet:index")


@login_required
@require_POST
def share(request, uuid):
    item = _own(request, uuid)
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            services.wallet_share(user=request.user, item=item, identity_number=form.cleaned_data["identity_number"])
        except ValidationError as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(request, _("Đã chia sẻ giấy tờ."))
    else:
        messages.error(request, _("Vui lòng nhập số CCCD."))
    return redirect(reverse("wallet:index") + f"#item-{item.uuid}")


@login_required
@require_POST
def revoke(request, pk):
    found = get_object_or_404(WalletShare.objects.select_related("item"), pk=pk, item__owner=request.user)
    services.wallet_share_revoke(user=request.user, share=found)
    messages.success(request, _("Đã thu hồi quyền xem giấy tờ."))
    return redirect("wallet:index")


def _draft_step2(dossier, component_id=None) -> str:
    anchor = f"#component-{component_id}" if component_id else ""
    return reverse("dossiers:wizard", args=[dossier.uuid, 2]) + anchor


@login_required
@require_POST
def attach(request, dossier, component):
    """Fill a draft's component with a wallet item chosen in step 2 (no upload)."""
    draft = get_object_or_404(Dossier, uuid=dossier, owner=request.user, status=DossierStatus.DRAFT)
    slot = get_object_or_404(RequiredComponent, pk=component, procedure_id=draft.procedure_id)
    item = _visible(request, request.POST.get("item", ""))
    try:
        services.wallet_item_attach(user=request.user, item=item, dossier=draft, component=slot)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    except PermissionDenied:
        raise Http404(_("Không tìm thấy giấy tờ"))
    else:
        messages.success(request, _("Đã dùng “%(title)s” từ kho giấy tờ, không cần tải lên lại.") % {"title": item.title})
    return redirect(_draft_step2(draft, slot.pk))


@login_required
@require_POST
def keep_file(request, uuid):
    """"Lưu vào kho" on a file the citizen uploaded to a component of their own dossier."""
    dossier_file = get_object_or_404(
        DossierFile.objects.select_related("dossier", "component"),
        uuid=uuid, dossier__owner=request.user, kind=FileKind.APPLICATION,
    )
    title = dossier_file.component.name if dossier_file.component_id else dossier_file.original_name
    try:
        services.wallet_file_keep(user=request.user, dossier_file=dossier_file,
                                  paper=services.Paper(title=title.splitlines()[0][:255]))
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Đã lưu “%(name)s” vào kho giấy tờ.") % {"name": dossier_file.original_name})
    if dossier_file.dossier.status == DossierStatus.DRAFT:
        return redirect(_draft_step2(dossier_file.dossier, dossier_file.component_id))
    return redirect("wallet:index")
