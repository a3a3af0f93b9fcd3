"""Writes on dossiers, by sub-domain: moves (every change of status through dossier_move, every change of the fee's
state through _fee_apply), the draft and its submission, the files, the codes.

workflow.py holds the tables of allowed moves and the checks against them; these modules apply them.
Views, the admin, the payments app and tasks call the functions here, never the models' status.
"""

from .assurance import dossier_assurance_check  # noqa: F401
from .codes import (  # noqa: F401
    dossier_code_marks,
    dossier_code_next,
    dossier_code_sequences_raise,
)
from .drafts import (  # noqa: F401
    PASSPORT_NUMBER,
    dossier_applicant_update,
    dossier_case_set,
    dossier_component_answers_update,
    dossier_delivery_update,
    dossier_draft_get_or_create,
    dossier_drafts_purge,
    dossier_files_complete,
    dossier_files_step_done,
    dossier_submit,
    identity_number_clean,
)
from .files import (  # noqa: F401
    dossier_component_files_add,
    dossier_file_delete,
    dossier_file_signatures_check,
    dossier_files_store,
    dossier_result_files_check,
    dossier_total_size,
    storage_delete_quietly,
    supplement_max_files,
)
from .moves import (  # noqa: F401
    dossier_fee_move,
    dossier_mark_paid,
    dossier_move,
    dossier_rate,
    dossier_supplement_answer,
    dossier_supplement_request,
)
