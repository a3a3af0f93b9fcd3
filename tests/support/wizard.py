"""A citizen's whole submission through the wizard's views, as the browser would post it."""

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def submit_dossier(client, procedure, *, email: str) -> str:
    """Go through the four steps for `procedure` as the logged-in citizen; return the dossier's page path.

    Each step must answer as it does for a citizen (a redirect to the next step), so a server error on the
    way fails here with the step that failed.
    """
    from dossiers.models import Dossier

    response = client.get(f"/ho-so/nop/{procedure.code}/")
    assert response.status_code == 302, response.status_code
    draft = Dossier.objects.get(uuid=response["Location"].split("/")[3])
    step = f"/ho-so/soan/{draft.uuid}/buoc-"
    applicant = {
        "applicant_name": "Trần Văn An",
        "applicant_identity": "062301009999",
        "applicant_phone": "0905 123 456",
        "applicant_email": email,
        "applicant_address": "45 Phan Đình Phùng",
        "applicant_province_code": 51,  # Quảng Ngãi (2025 units), phường Kon Tum
        "applicant_commune_code": 23293,
    }
    files = {
        f"files_{c.pk}": SimpleUploadedFile("don.pdf", PDF.replace(b"\n", f"\n%{c.pk}\n".encode(), 1), content_type="application/pdf")
        for c in procedure.components.filter(is_required=True)
    }
    posts = [
        (1, applicant),
        (2, {**files, "action": "next"}),
        (3, {"submit_method": "online", "result_method": "electronic"}),
        (4, {"confirm": "on", "captcha_0": "x", "captcha_1": "PASSED"}),
    ]
    for number, data in posts:
        response = client.post(f"{step}{number}/", data)
        assert response.status_code == 302, f"step {number}: {response.status_code}"
    return response["Location"]
