"""The wallet's pages read in a fixed number of queries: step 2 of the wizard offers each component its wallet
papers and says where each file came from, and the wallet page lists the papers, whatever their number."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers import services
from dossiers.constants import DossierStatus, FileKind
from dossiers.models import DossierFile
from tests.factories.dossiers import pdf_upload
from wallet.models import Blob, Origin, WalletItem
from wallet.services import Paper, kind_for, wallet_item_attach, wallet_item_keep, wallet_share


def _paper(n: int) -> str:
    return f"Giấy chứng nhận số {n}"


def _wallet(build, citizen, size: int) -> None:
    """`size` papers of `size` kinds: a quarter issued (with their signature check), one shared, the rest kept."""
    issued = max(1, size // 4)
    for n in range(size - issued - 1):
        wallet_item_keep(owner=citizen, upload=pdf_upload(f"g{n}.pdf"), paper=Paper(title=_paper(n)),
                         kind_name=_paper(n))
    returned = build.dossier(DossierStatus.RETURNED, owner=citizen)
    for n in range(size - issued - 1, size - 1):
        result = DossierFile.objects.create(dossier=returned, kind=FileKind.RESULT, file=f"result-{n}.pdf",
                                            original_name=f"kq-{n}.pdf", file_type="pdf", size=10,
                                            signature_check={"signatures": []})
        blob = Blob.objects.create(sha256=f"{n:064d}", name=result.file.name, size=10, owned=False)
        WalletItem.objects.create(owner=citizen, origin=Origin.ISSUED, kind=kind_for(_paper(n)), title=_paper(n),
                                  issuer=returned.agency.name, blob=blob, original_name=result.original_name,
                                  file_type="pdf", source_dossier=returned, source_file=result)
    relative = build.citizen()
    shared = wallet_item_keep(owner=relative, upload=pdf_upload("shared.pdf"), paper=Paper(title=_paper(size - 1)),
                              kind_name=_paper(size - 1))
    wallet_share(user=relative, item=shared, identity_number=citizen.identity_number)


def _step2_queries(client, build, citizen, components: int) -> int:
    """Queries of step 2 for a procedure of `components` papers, each offered from the wallet; a third of them
    filled (from the wallet or uploaded)."""
    procedure = build.procedure(components=[f"Bản sao {_paper(n)} (có chứng thực)" for n in range(components)])
    draft = build.dossier(DossierStatus.DRAFT, procedure=procedure, owner=citizen, wizard_step=2)
    items = {i.kind.key: i for i in WalletItem.objects.filter(owner=citizen).select_related("kind")}
    for n, component in enumerate(procedure.components.order_by("position")):
        if n % 3 == 1:
            wallet_item_attach(user=citizen, item=items[f"giay chung nhan so {n}"], dossier=draft, component=component)
        elif n % 3 == 2:
            services.dossier_component_files_add(dossier=draft, component=component, uploads_list=[pdf_upload()],
                                                 user=citizen, max_files=5)
    queries, page = _queries_of(client, reverse("dossiers:wizard", args=[draft.uuid, 2]))
    assert page.count("Dùng giấy tờ này") == components - 2 * (components // 3) - (components % 3 == 2)
    assert page.count('class="d-block small text-success-emphasis wallet-origin"') == (components + 1) // 3
    return queries


def _queries_of(client, url) -> tuple[int, str]:
    """The queries of a page's second visit (the page's frame and the catalogue's values are cached by the first)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    return len(queries), page


def _two_wallets(build, settings, small: int):
    settings.WALLET_KEEP_RATE_LIMIT = 1000
    citizens = build.citizen(), build.citizen()
    for citizen, size in zip(citizens, (small, 40)):
        _wallet(build, citizen, size)
    return citizens


@pytest.mark.django_db
def test_step_2_reads_the_wallet_in_queries_that_do_not_grow_with_components_or_papers(client, build, settings):
    small, large = _two_wallets(build, settings, 6)
    client.force_login(small)
    few = _step2_queries(client, build, small, 3)
    client.force_login(large)
    many = _step2_queries(client, build, large, 30)
    assert many == few


def _wallet_page_queries(client, citizen) -> int:
    client.force_login(citizen)
    queries, page = _queries_of(client, reverse("wallet:index"))
    assert page.count('class="card shadow-sm mb-3" id="item-') == WalletItem.objects.filter(owner=citizen).count()
    return queries


@pytest.mark.django_db
def test_the_wallet_page_reads_in_queries_that_do_not_grow_with_the_papers(client, build, settings):
    small, large = _two_wallets(build, settings, 4)
    few = _wallet_page_queries(client, small)
    many = _wallet_page_queries(client, large)
    assert many == few


@pytest.mark.django_db
def test_step_2_offers_the_issued_result_first_then_the_newest_kept_paper(client, build):
    citizen = build.citizen()
    older = wallet_item_keep(owner=citizen, upload=pdf_upload(), paper=Paper(title="Giấy khai sinh (cũ)"),
                             kind_name="Giấy khai sinh")
    newer = wallet_item_keep(owner=citizen, upload=pdf_upload(), paper=Paper(title="Giấy khai sinh (mới)"),
                             kind_name="Bản sao Giấy khai sinh")
    _wallet(build, citizen, 4)  # papers of other kinds, not offered
    returned = build.dossier(DossierStatus.RETURNED, owner=citizen)
    result = DossierFile.objects.create(dossier=returned, kind=FileKind.RESULT, file="kq.pdf", original_name="kq.pdf",
                                        file_type="pdf", size=10)
    issued = WalletItem.objects.create(
        owner=citizen, origin=Origin.ISSUED, kind=older.kind, title="Giấy khai sinh (do UBND cấp)", issuer="UBND",
        blob=Blob.objects.create(sha256="f" * 64, name="kq.pdf", size=10, owned=False), original_name="kq.pdf",
        file_type="pdf", source_file=result)
    WalletItem.objects.filter(pk=issued.pk).update(created_at=older.created_at)  # the oldest, shown first still
    procedure = build.procedure(components=("Đơn đề nghị", "Bản sao Giấy khai sinh (có chứng thực)"))
    draft = build.dossier(DossierStatus.DRAFT, procedure=procedure, owner=citizen, wizard_step=2)
    client.force_login(citizen)
    page = client.get(reverse("dossiers:wizard", args=[draft.uuid, 2])).content.decode()
    offered = [page.index(f'value="{i.uuid}"') for i in (issued, newer, older)]
    assert offered == sorted(offered) and page.count("Dùng giấy tờ này") == 3
