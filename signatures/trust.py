"""The roots the operator trusts and the validation contexts built on them, every network fetch bounded."""

from pathlib import Path

from django.conf import settings
from pyhanko.keys import load_certs_from_pemder
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.fetchers.api import FetchLimits
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

CERT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}


def trust_root_files(location: str | None = None) -> list[Path]:
    """The certificate files of SIGNATURES_TRUST_ROOTS: the file itself, or the certificates in the folder."""
    location = settings.SIGNATURES_TRUST_ROOTS if location is None else location
    if not location:
        return []
    path = Path(location)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix.lower() in CERT_SUFFIXES and p.is_file())
    return [path] if path.is_file() else []


def trust_roots() -> list:
    """The trusted root certificates (asn1crypto), read anew each time: the operator may replace the files."""
    return list(load_certs_from_pemder([str(p) for p in trust_root_files()]))


def validation_kwargs(*, fetch: bool | None = None) -> dict:
    """Arguments of a ValidationContext on the operator's roots; fetching bounded in time and in requests."""
    fetch = settings.SIGNATURES_FETCH if fetch is None else fetch
    kwargs = {"trust_roots": trust_roots(), "allow_fetching": fetch, "revocation_mode": "hard-fail"}
    if fetch:
        limits = FetchLimits(max_requests=settings.SIGNATURES_FETCH_MAX_REQUESTS,
                             max_cert_requests=settings.SIGNATURES_FETCH_MAX_REQUESTS, max_aia_urls_per_object=3)
        kwargs["fetcher_backend"] = RequestsFetcherBackend(
            per_request_timeout=settings.SIGNATURES_FETCH_TIMEOUT, limits=limits)
    else:  # only what the document embeds (its DSS adds to these)
        kwargs.update(crls=[], ocsps=[])
    return kwargs


def validation_context(*, fetch: bool | None = None) -> ValidationContext:
    return ValidationContext(**validation_kwargs(fetch=fetch))
