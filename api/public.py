"""Public reads: the catalogue's search and a procedure (the pages' own selectors), a dossier's state by code + key."""

import json

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from common.client import client_ip
from dossiers.selectors import dossier_lookup_limited, dossier_timeline
from procedures import selectors as catalogue
from procedures.constants import OnlineLevel
from procedures.forms import catalogue_filters
from procedures.models import Procedure

from .problems import Problem
from .schemas import LookupIn, LookupOut, ProcedureOut, ProcedureSearchOut
from .shape import dossier_state, problem_responses

router = Router(tags=["public"])


class SearchIn(Schema):
    q: str = ""
    agency: str = ""  # an agency's code
    field: str = ""  # a field's code
    level: str = ""  # toan-trinh | mot-phan (or 4 | 3)
    scope: str = ""  # an implementation level
    page: int = 1


@router.get("/procedures", operation_id="searchProcedures",
            response={200: ProcedureSearchOut, **problem_responses(422)}, auth=None,
            summary="Tra cứu thủ tục (Search the catalogue)")
def procedure_search(request, params: Query[SearchIn]):
    """The catalogue page's search: the same filters, the same ranking, the same page size."""
    filters = catalogue_filters(params.dict())
    version = catalogue.catalogue_version()
    more_found = False
    if filters["q"]:
        ids, more_found = catalogue.procedure_search_ids(**filters, version=version)
    else:
        ids = catalogue.procedure_search(**filters, version=version).values_list("pk", flat=True)
    page = Paginator(ids, settings.CATALOGUE_PAGE_SIZE).get_page(params.page)
    answer = {"count": page.paginator.count, "more_found": more_found, "page": page.number,
              "pages": page.paginator.num_pages, "results": _rows_of(list(page.object_list), version=version)}
    # Written here rather than validated again by the schema: its rows are plain values read from the catalogue,
    # the contract test checks them against the document, and validating twenty rows cost an eighth of a search.
    return HttpResponse(json.dumps(answer, ensure_ascii=False), content_type="application/json; charset=utf-8")


# This process's rows of the catalogue, of one version, as the page keeps its rendered rows (procedures.views):
# {version: {(language, pk): row}}; a search then reads only the ranked ids. ROWS_KEPT rows at most.
ROWS_KEPT = 5000
_rows: dict[int, dict[tuple[str, int], dict]] = {}


def _rows_of(ids: list[int], *, version: int) -> list[dict]:
    language = get_language()
    kept = _rows.get(version)
    if kept is None or len(kept) >= ROWS_KEPT:
        _rows.clear()  # another version's (never asked for again), or full
        kept = _rows[version] = {}
    missing = [pk for pk in ids if (language, pk) not in kept]
    if missing:
        kept.update(((language, row.pk), {
            "code": row.code, "name": row.name, "field": row.field_name, "agencies": list(row.agency_names),
            "implementing_text": row.implementing_text, "online_level": row.online_level,
            "online_level_label": str(row.online_level_label), "url": row.url,
        }) for row in catalogue.procedures_listed(ids=missing))
    return [kept[(language, pk)] for pk in ids if (language, pk) in kept]


@router.get("/procedures/{code}", operation_id="getProcedure",
            response={200: ProcedureOut, **problem_responses(404)}, auth=None,
            summary="Một thủ tục (One procedure)")
def procedure_detail(request, code: str):
    """A procedure by its code, its short national code (1.001193), the code without dots or a service's code."""
    if "\x00" in code or len(code) > 100:
        raise Problem("not-found", _("Không tìm thấy thủ tục"))
    try:
        page = catalogue.procedure_page(code=code)
    except Procedure.DoesNotExist:
        canonical = catalogue.procedure_code_resolve(code=code)
        if canonical is None:
            raise Problem("not-found", _("Không tìm thấy thủ tục"))
        page = catalogue.procedure_page(code=canonical)
    procedure = page.procedure
    return {
        "code": procedure.code, "national_code": procedure.national_code, "name": procedure.name,
        "field": procedure.field.name if procedure.field else "",
        "agencies": [agency.name for agency in page.agencies],
        "online_level": procedure.online_level, "online_level_label": str(OnlineLevel(procedure.online_level).label),
        "processing_days": procedure.processing_days,
        "fees": [{"name": fee.name, "amount": fee.amount} for fee in page.fees],
        "components": [{"name": c.name, "required": c.is_required, "quantity": c.quantity, "case": c.case}
                       for c in page.components],
        "url": reverse("procedures:detail", args=[procedure.code]),
    }


@router.post("/lookup", operation_id="lookupDossier",
             response={200: LookupOut, **problem_responses(400, 404, 422, 429)}, auth=None,
             summary="Tra cứu hồ sơ (A dossier's state by code and lookup key)")
def dossier_lookup(request, body: LookupIn):
    """The lookup page's answer, without personal data, behind the page's own rate limit (by POST: the key stays
    out of URLs and logs). A read: repeating it with the same Idempotency-Key answers the same."""
    answer = dossier_lookup_limited(code=body.code, key=body.key, client=client_ip(request))
    if answer.limited:
        raise Problem("rate-limited", _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút."),
                      headers={"Retry-After": str(settings.DOSSIER_LOOKUP_WINDOW)})
    if answer.dossier is None:
        raise Problem("not-found", _("Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này."))
    steps = [{"action": e.action, "action_label": str(e.action_label), "to_status": e.to_status, "at": e.created_at}
             for e in dossier_timeline(dossier=answer.dossier)]
    return {**dossier_state(answer.dossier), "steps": steps}
