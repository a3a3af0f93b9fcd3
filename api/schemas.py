"""The API's typed documents: each is both the answer's validation and its part of the OpenAPI document."""

from datetime import date, datetime
from uuid import UUID

from ninja import Field, Schema


class ProcedureRow(Schema):
    code: str
    name: str
    field: str
    agencies: list[str]
    implementing_text: str
    online_level: int
    online_level_label: str
    url: str


class ProcedureSearchOut(Schema):
    count: int
    more_found: bool  # the search ranks its best matches only; there are more (add a word or a filter)
    page: int
    pages: int
    results: list[ProcedureRow]


class FeeOut(Schema):
    name: str
    amount: int


class ComponentOut(Schema):
    name: str
    required: bool
    quantity: str
    case: str  # the case of the procedure it belongs to ("" for every case)


class ProcedureOut(Schema):
    code: str
    national_code: str
    name: str
    field: str
    agencies: list[str]
    online_level: int
    online_level_label: str
    processing_days: int
    fees: list[FeeOut]
    components: list[ComponentOut]
    url: str


class LookupIn(Schema):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[^\x00]+$")  # printed on the receipt
    key: str = Field(min_length=1, max_length=40, pattern=r"^[^\x00]+$")  # the lookup key printed beside it


class StepOut(Schema):
    action: str
    action_label: str
    to_status: int
    at: datetime


class DossierState(Schema):
    code: str
    status: int  # the national portal's code, 1–10
    status_label: str
    procedure_code: str
    procedure_name: str
    agency_code: str
    agency_name: str
    submitted_at: datetime | None
    received_at: datetime | None
    due_date: date | None
    finished_at: datetime | None
    returned_at: datetime | None


class LookupOut(DossierState):
    steps: list[StepOut]


class ChangedDossier(DossierState):
    updated_at: datetime
    url: str


class ChangesOut(Schema):
    cursor: str  # give it back as ?cursor= for the next changes; the same one when nothing changed
    dossiers: list[ChangedDossier]


class ApplicantOut(Schema):
    name: str
    identity: str
    phone: str
    email: str
    address: str


class FileOut(Schema):
    uuid: UUID
    name: str
    kind: str
    file_type: str
    size: int
    sha256: str
    created_at: datetime
    download_url: str


class EventOut(StepOut):
    from_status: int
    note: str


class DossierOut(ChangedDossier):
    applicant: ApplicantOut
    is_online: bool
    result_method: str
    postal_tracking: str
    fee_total: int
    payment_status: str
    files: list[FileOut]
    events: list[EventOut]
    allowed_actions: list[str]  # what this client's account may do now (the workflow table)
