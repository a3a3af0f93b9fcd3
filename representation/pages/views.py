"""/tai-khoan/uy-quyen/: whom I act for, who acts for me, an organisation's members, and the switch."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.constants import AccountType
from audit.constants import AccessKind
from audit.services import access_record
from common.downloads import stored_file_response
from dossiers.selectors import dossier_staff_queryset
from dossiers.uploads import CONTENT_TYPES

from .. import services
from ..constants import SESSION_KEY
from ..models import Authorisation, Membership
from ..selectors import principal_allowed, principals_for
from .forms import GrantForm, MemberForm


def _context(request, *, grant_form=None, member_form=None) -> dict:
    user = request.user
    is_organisation = user.account_type == AccountType.ORGANISATION
    return {
        "grant_form": grant_form or GrantForm(),
        "member_form": member_form or MemberForm(),
        "given": Authorisation.objects.filter(principal=user).select_related("agent", "procedure", "field")
        .order_by("-created_at"),
        "received": Authorisation.objects.filter(agent=user).select_related("principal", "procedure", "field")
        .order_by("-created_at"),
        "principals": principals_for(user=user),
        "is_organisation": is_organisation,
        "members": Membership.objects.filter(organisation=user).select_related("member").order_by("pk")
        if is_organisation else [],
        "memberships": Membership.objects.filter(member=user).select_related("organisation").order_by("pk"),
    }


@login_required
def home(request):
    """The page, and the form that grants an authorisation (POST with its document)."""
    if request.user.is_staff:
        raise Http404
    form = GrantForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.authorisation_grant(
                principal=request.user, agent_identity=data["agent_identity"], scope=data["scope"],
                procedure=data["procedure"], field=data["field"], valid_from=data["valid_from"],
                valid_until=data["valid_until"], document=data["document"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lập ủy quyền."))
            return redirect("representation:home")
    status = 400 if form.is_bound else 200
    return render(request, "representation/home.html", _context(request, grant_form=form), status=status)


@login_required
@require_POST
def revoke(request, uuid):
    authorisation = get_object_or_404(Authorisation, uuid=uuid, principal=request.user)
    services.authorisation_revoke(authorisation=authorisation, principal=request.user)
    messages.success(request, _("Đã thu hồi ủy quyền. Người được ủy quyền không còn thao tác thay bạn được nữa."))
    return redirect("representation:home")


@login_required
@require_POST
def switch(request):
    """Choose explicitly whom to act for (empty: oneself); kept in the session, checked on every request."""
    chosen = request.POST.get("principal") or ""
    if not chosen:
        request.session.pop(SESSION_KEY, None)
        messages.info(request, _("Bạn đang thao tác cho chính mình."))
        return redirect("dossiers:mine")
    principal = principal_allowed(user=request.user, principal_id=int(chosen)) if chosen.isdigit() else None
    if principal is None:
        messages.error(request, _("Bạn không còn được thao tác thay cho tài khoản này."))
        return redirect("representation:home")
    request.session[SESSION_KEY] = principal.pk  # the banner on every page says it from now on
    return redirect("dossiers:mine")


@login_required
@require_POST
def member_add(request):
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            services.membership_add(organisation=request.user, member_identity=form.cleaned_data["member_identity"],
                                    role=form.cleaned_data["role"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã thêm thành viên."))
            return redirect("representation:home")
    return render(request, "representation/home.html", _context(request, member_form=form), status=400)


@login_required
@require_POST
def member_end(request, pk):
    """The organisation removes a member, or the member leaves; either takes effect at the next request."""
    try:
        services.membership_end(membership_id=pk, by=request.user)
    except ValidationError:
        raise Http404 from None
    messages.success(request, _("Đã kết thúc tư cách thành viên."))
    return redirect("representation:home")


def document(request, uuid):
    """The authorisation's document: for its two parties, and for staff handling a dossier made under it."""
    if not request.user.is_authenticated:
        raise Http404
    user = request.user
    authorisation = Authorisation.objects.filter(Q(principal=user) | Q(agent=user), uuid=uuid).first()
    if authorisation is None:
        authorisation = Authorisation.objects.filter(
            uuid=uuid, dossiers__in=dossier_staff_queryset(user=user)).distinct().first()
        if authorisation is None:
            raise Http404(_("Không tìm thấy văn bản ủy quyền"))
        access_record(request=request, kind=AccessKind.FILE, ref=f"uy-quyen:{authorisation.uuid}")
    content_type = (CONTENT_TYPES.get(authorisation.document_type)
                    or mimetypes.guess_type(authorisation.document_name)[0] or "application/octet-stream")
    return stored_file_response(name=authorisation.document.name, filename=authorisation.document_name,
                                content_type=content_type)
