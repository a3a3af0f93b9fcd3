"""The share form lists the owner's representatives (authorisations in force at /tai-khoan/uy-quyen/) as one-click
choices; who may receive a share is unchanged (any active account, by its CCCD)."""

import pytest
from django.urls import reverse

from tests.factories.dossiers import pdf_upload
from tests.representation.conftest import authorisation
from wallet.models import WalletShare
from wallet.services import Paper, wallet_item_keep


@pytest.mark.django_db
def test_the_owner_shares_with_a_representative_in_one_click(client, build):
    owner = build.citizen()
    representative, former, expired, future, authorised_by_another = (build.citizen() for _ in range(5))
    authorisation(owner, representative)
    authorisation(owner, former, state="revoked")
    authorisation(owner, expired, state="expired")
    authorisation(owner, future, state="future")
    authorisation(build.citizen(), authorised_by_another)
    item = wallet_item_keep(owner=owner, upload=pdf_upload(), paper=Paper(title="Giấy khai sinh"),
                            kind_name="Giấy khai sinh")
    client.force_login(owner)
    page = client.get(reverse("wallet:index")).content.decode()
    choice = f"Chia sẻ với {representative.full_name}</button>"
    assert page.count(choice) == 1
    for other in (former, expired, future, authorised_by_another):
        assert f"Chia sẻ với {other.full_name}</button>" not in page

    page = client.post(reverse("wallet:share", args=[item.uuid]), {"identity_number": representative.identity_number},
                       follow=True).content.decode()
    assert "Đã chia sẻ giấy tờ." in page and f"Đang chia sẻ với {representative.full_name}" in page
    assert choice not in page  # already shared with them: no second offer
    assert WalletShare.objects.get(item=item, revoked_at__isnull=True).person == representative
    client.force_login(representative)
    assert client.get(item.get_absolute_url()).status_code == 200
