"""THE staff-role scheme and its permission matrix: defined here once, used by the data migration that
creates the groups (accounts 0004), by the post-migrate sync, by `seed_demo`, by the admin and by the tests.

A role is a group of model permissions (what the admin lets it do) and, for the roles that work on
dossiers, the per-agency role (procedures.AgencyStaff.role) that says *whose* dossiers and which moves of
the workflow table. Anything not granted here is refused: a group holds exactly its role's permissions,
and tests/accounts/test_matrix.py checks every cell, so a new admin model or a new grant that is not in
this matrix fails a test until it is decided here.

accounts imports no other portal app: models are named by their "app_label.model" labels.
"""

from dataclasses import dataclass, field

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ACTIONS = (VIEW, ADD, CHANGE, DELETE)
ALL = frozenset(ACTIONS)
READ = frozenset({VIEW})

CATALOGUE = (
    "procedures.agency",
    "procedures.field",
    "procedures.procedure",
    "procedures.requiredcomponent",
    "procedures.feeitem",
)
# Edited only inline on the procedure's page, so not an admin model of their own.
CATALOGUE_INLINES = ("procedures.procedurechannel",)
DOSSIER_WORK = {
    "dossiers.dossier": READ,  # moves go through the workflow table, not the change form
    "dossiers.dossierevent": READ,
    "dossiers.dossierfeeevent": READ,  # the fee's history, inline on the dossier
    "dossiers.dossierfile": READ,
    "dossiers.calendarday": READ,  # due dates are counted on it
    **{model: READ for model in CATALOGUE},  # which procedure, which components
}


@dataclass(frozen=True)
class Role:
    key: str
    group: str  # the auth.Group name
    label: str
    # The per-agency role (procedures.constants.StaffRole value) a member holds for its agencies, if any.
    agency_role: str | None
    grants: dict[str, frozenset] = field(default_factory=dict)

    def permissions(self) -> set[str]:
        """The permissions of the role's group, as "app_label.codename"."""
        return {
            f"{model.split('.')[0]}.{action}_{model.split('.')[1]}"
            for model, actions in self.grants.items()
            for action in actions
        }

    def allows(self, model: str, action: str) -> bool:
        return action in self.grants.get(model, ())


RECEIVE = Role(
    key="receive",
    group="Cán bộ tiếp nhận",
    label="Cán bộ tiếp nhận (một cửa)",
    agency_role="receive",
    grants={
        **DOSSIER_WORK,
        "payments.payment": READ,  # confirms a fee paid at the counter
        # The counter's day list: check-in and no-show are changes of a booking (admin actions, services only).
        "appointments.booking": frozenset({VIEW, CHANGE}),
        "appointments.counter": READ,  # the counter's hours and capacity, set by the operator
    },
)
PROCESS = Role(
    key="process",
    group="Chuyên viên xử lý",
    label="Chuyên viên xử lý",
    agency_role="process",
    grants=dict(DOSSIER_WORK),
)
APPROVE = Role(
    key="approve",
    group="Lãnh đạo phê duyệt",
    label="Lãnh đạo phê duyệt",
    agency_role="approve",
    grants=dict(DOSSIER_WORK),
)
ACCOUNTANT = Role(
    key="accountant",
    group="Kế toán",
    label="Kế toán (hoàn phí, đối soát)",
    agency_role="accountant",
    grants={
        "payments.payment": READ,
        "payments.gatewaycallback": READ,
        "payments.refund": frozenset({VIEW, ADD}),
        "payments.paymentevent": READ,  # the payment's history, inline on the payment
        "payments.receiptseries": READ,  # the form number and symbol printed on its e-receipts
    },
)
OPERATOR = Role(
    key="operator",
    group="Quản trị vận hành",
    label="Quản trị vận hành (cấp tỉnh)",
    agency_role=None,
    grants={
        "accounts.user": frozenset({VIEW, ADD, CHANGE}),  # citizen and staff accounts, roles, 2FA reset
        "auth.group": READ,  # the groups are this matrix: read-only
        **{model: ALL for model in CATALOGUE + CATALOGUE_INLINES},
        "procedures.searchsynonym": ALL,  # everyday names citizens type for a procedure
        "procedures.receivingrule": ALL,  # the province's map: level × field → the receiving agencies
        "procedures.agencystaff": ALL,  # who works for which agency (inline on the agency and the account)
        "dossiers.calendarday": ALL,
        "appointments.counter": ALL,  # the one-stop counters taking appointments, their hours and capacity
        "appointments.counterhours": ALL,  # inline on the counter
        "payments.receiptseries": frozenset({VIEW, ADD, CHANGE}),  # registered once a year per agency
        "signatures.agencysigner": ALL,  # where each agency's signing key is (paths, token labels; never the key)
        "notifications.email": READ,  # recipient, subject, state, error; resend
        "notifications.notice": READ,  # SMS/Zalo: channel, dossier code, masked number, state, error; resend
        "national_sync.outboxrecord": READ,  # what reached the national portal, the errors; resend
        "audit.accessrecord": READ,
        "axes.accessattempt": frozenset({VIEW, DELETE}),  # lifting a lockout
        "axes.accesslog": READ,
        "axes.accessfailurelog": READ,
        "api.apiclient": frozenset({VIEW, ADD, CHANGE}),  # issues, rotates, revokes system clients' keys; never deletes
    },
)

ROLES: tuple[Role, ...] = (RECEIVE, PROCESS, APPROVE, ACCOUNTANT, OPERATOR)
ROLES_BY_KEY = {role.key: role for role in ROLES}
ROLES_BY_GROUP = {role.group: role for role in ROLES}
ROLE_GROUPS = tuple(role.group for role in ROLES)
ROLE_BY_AGENCY_ROLE = {role.agency_role: role for role in ROLES if role.agency_role}

# Every model of the product's admin, decided: a model registered in the admin and missing here fails a test, and
# so does one listed here that nobody registers. Models no role is granted are the superuser's alone (the device
# admin is unregistered, see accounts.admin). The development stand-ins' models (the payment sandbox's) are not
# the product's: no role is granted them, and production does not install them.
ADMIN_MODELS = (
    "accounts.user",
    "auth.group",
    *CATALOGUE,
    "procedures.searchsynonym",
    "procedures.receivingrule",
    "dossiers.dossier",
    "dossiers.calendarday",
    "appointments.counter",
    "appointments.booking",
    "notifications.email",
    "notifications.notice",
    "national_sync.outboxrecord",
    "payments.payment",
    "payments.gatewaycallback",
    "payments.receiptseries",
    "signatures.agencysigner",
    "audit.accessrecord",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "api.apiclient",
)

STAFF = frozenset(role.key for role in ROLES)
DOSSIER_ROLES = frozenset({RECEIVE.key, PROCESS.key, APPROVE.key})
# Private portal pages (outside the admin) × the roles that may open them; every other role gets 403/404.
# "own" pages concern a dossier of the member's own agency; another agency's is refused to every role.
PRIVATE_URLS = {
    "accounts:profile": STAFF,
    "accounts:otp_setup": STAFF,
    "accounts:notices": STAFF,  # any signed-in account's own notice settings
    "admin:index": STAFF,
    "dossiers:file_download (own agency)": DOSSIER_ROLES,
    "dossiers:receipt (own agency)": DOSSIER_ROLES,
    "admin:dossiers_dossier_change (own agency)": DOSSIER_ROLES,
    "dossiers:file_download (other agency)": frozenset(),
    "dossiers:receipt (other agency)": frozenset(),
    "admin:dossiers_dossier_change (other agency)": frozenset(),
    "admin:payments_payment_change (own agency)": frozenset({RECEIVE.key, ACCOUNTANT.key}),
    # A citizen's own appointments: any signed-in account has its own list (empty for staff).
    "appointments:mine": STAFF,
    "admin:appointments_booking_change (own agency)": frozenset({RECEIVE.key}),
    "admin:appointments_booking_change (other agency)": frozenset(),
    # A citizen's document wallet: any signed-in account has its own (empty for staff); nobody sees another's
    # item, staff included (a clerk sees only the copy attached to their agency's dossier).
    "wallet:index": STAFF,
    "wallet:download (other citizen)": frozenset(),
    # Authorisations and organisations (representation): a citizen's or an organisation's own page, not staff's;
    # an authorisation's document for staff handling a dossier made under it at their agency.
    "representation:home": frozenset(),
    "representation:document (own agency)": DOSSIER_ROLES,
    "representation:document (other agency)": frozenset(),
    # The operators' metrics: for the monitoring's address or token (portal/metrics.py), never for a signed-in role.
    "metrics": frozenset(),
    # Linking an account to a national login (accounts/views_national.py): opened only in the middle of a national
    # login that found the account by its identity number, never by a signed-in role.
    "accounts:national_link": frozenset(),
}
# The integration API (/api/v1/): what a system client's scope lets it call. Public reads need no key; a client
# sees only its agencies' dossiers (another agency's answer 404), and its moves are checked against the workflow
# table with the roles of the staff account it acts as (api.models.ApiClient.account), through dossier_move.
API_PUBLIC = frozenset({"procedure_search", "procedure_detail", "dossier_lookup"})
API_SCOPES = {
    "read": frozenset({"dossier_changes", "dossier_read", "dossier_file"}),
    "write": frozenset({"dossier_changes", "dossier_read", "dossier_file", "dossier_move_post", "dossier_results_post"}),
}

# Groups of earlier versions that the scheme replaced (removed by the data migration).
RETIRED_GROUPS = ("Cán bộ tiếp nhận, xử lý hồ sơ",)


def role_of_group(name: str) -> Role | None:
    return ROLES_BY_GROUP.get(name)


def roles_of(user) -> list[Role]:
    """The roles a staff account holds through its groups, in scheme order."""
    names = set(user.groups.values_list("name", flat=True))
    return [role for role in ROLES if role.group in names]
