"""Dossiers as the API shows them, and the problem answers an operation documents."""

from dossiers.models import Dossier

from .problems import ProblemOut


def problem_responses(*statuses: int) -> dict:
    return {status: ProblemOut for status in statuses}


def dossier_state(dossier: Dossier) -> dict:
    """What anyone holding the lookup key may see: no personal data."""
    return {
        "code": dossier.code, "status": dossier.status, "status_label": str(dossier.status_label),
        "procedure_code": dossier.procedure.code, "procedure_name": dossier.procedure.name,
        "agency_code": dossier.agency.code, "agency_name": dossier.agency.name,
        "submitted_at": dossier.submitted_at, "received_at": dossier.received_at, "due_date": dossier.due_date,
        "finished_at": dossier.finished_at, "returned_at": dossier.returned_at,
    }
