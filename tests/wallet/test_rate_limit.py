"""Keeping papers is rate limited per account (WALLET_KEEP_RATE_LIMIT per WALLET_KEEP_RATE_WINDOW seconds): the
wallet page's form and "Lưu vào kho" from a dossier count together, a script cannot keep and delete in a loop, and
the counter (in Redis) holds under parallel requests."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from dossiers import services
from dossiers.constants import DossierStatus
from tests.factories.dossiers import pdf_upload
from tests.wallet.parallel import keeps_in_parallel
from wallet.models import WalletItem

LIMITED = "Bạn đã lưu quá nhiều giấy tờ vào kho trong thời gian ngắn"


def _keep(client, n, **fields):
    return client.post(reverse("wallet:index"), {"title": f"Giấy tờ {n}", "file": pdf_upload(f"g{n}.pdf"), **fields})


@pytest.mark.django_db
def test_past_the_limit_the_form_says_so_by_the_file_and_keeps_what_was_typed(client, build, settings):
    settings.WALLET_KEEP_RATE_LIMIT = 2
    citizen = build.citizen()
    client.force_login(citizen)
    assert [_keep(client, n).status_code for n in range(2)] == [302, 302]
    # Deleting does not give the use back: keeping and deleting in a loop is what the limit is for.
    client.post(reverse("wallet:delete", args=[WalletItem.objects.filter(owner=citizen).first().uuid]))

    response = _keep(client, 3, issuer="UBND xã Đắk Hà", number="123/GKS", issued_on="2020-05-04",
                     expires_on="2030-05-04")
    page = response.content.decode()
    assert response.status_code == 429
    feedback = page[page.index('id="error_1_id_file"'):][:400]
    assert LIMITED in feedback and "60 phút" in feedback
    for typed in ('value="Giấy tờ 3"', 'value="UBND xã Đắk Hà"', 'value="123/GKS"', 'value="2020-05-04"',
                  'value="2030-05-04"'):
        assert typed in page
    assert WalletItem.objects.filter(owner=citizen).count() == 1

    other = build.citizen()  # per account: another citizen keeps on
    client.force_login(other)
    assert _keep(client, 4).status_code == 302


@pytest.mark.django_db
def test_keeping_a_dossier_file_counts_in_the_same_limit(client, build, settings):
    settings.WALLET_KEEP_RATE_LIMIT = 1
    citizen = build.citizen()
    procedure = build.procedure(components=("Đơn đề nghị", "Bản sao Giấy khai sinh"))
    draft = build.dossier(DossierStatus.DRAFT, procedure=procedure, owner=citizen, wizard_step=2)
    files = [services.dossier_component_files_add(dossier=draft, component=c, uploads_list=[pdf_upload()],
                                                  user=citizen, max_files=5)[0] for c in procedure.components.all()]
    client.force_login(citizen)
    assert _keep(client, 1).status_code == 302
    page = client.post(reverse("wallet:keep_file", args=[files[0].uuid]), follow=True).content.decode()
    assert LIMITED in page and "vào kho giấy tờ." not in page  # not the success message
    assert WalletItem.objects.filter(owner=citizen).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_limit_holds_under_parallel_keeps_with_the_counter_in_redis(build, settings, redis_url):
    settings.CACHES = {**settings.CACHES, "limits": {"BACKEND": "portal.cache.RedisCache", "LOCATION": redis_url}}
    caches["limits"].clear()
    settings.WALLET_KEEP_RATE_LIMIT = 3
    citizen = build.citizen()
    people = 8
    results = keeps_in_parallel(citizen, people)
    assert sorted(status for status, _ in results) == [302] * 3 + [429] * (people - 3)
    assert all(LIMITED in body for status, body in results if status == 429)
    assert WalletItem.objects.filter(owner=citizen).count() == 3
