"""The integration API (/api/v1/): page sizes and the system clients' rate-limit window."""

from .base import env

# Dossiers a page of the changes feed holds at most (a client asks for fewer with ?limit=).
API_CHANGES_PAGE_SIZE = env.int("API_CHANGES_PAGE_SIZE", default=100)
# Each client's own limit (ApiClient.rate_limit, set in the admin) counts calls in windows of this many seconds.
API_RATE_WINDOW = env.int("API_RATE_WINDOW", default=60)
