"""The pyHanko signer of an agency, built from its AgencySigner row: a key file, a PKCS#11 token or a remote service."""

import os

from pyhanko.keys import load_certs_from_pemder
from pyhanko.sign import signers

from .constants import SignerKind
from .models import AgencySigner
from .remote import RemoteSigner, remote_service


class SignerUnavailable(Exception):
    """The agency's signer is configured but cannot be used (a missing file, a wrong passphrase, no token)."""


def _secret(row: AgencySigner) -> str | None:
    """The passphrase or PIN, from the environment variable the row names (never from the database)."""
    if not row.secret_env:
        return None
    value = os.environ.get(row.secret_env)
    if value is None:
        raise SignerUnavailable(f"environment variable {row.secret_env} is not set")
    return value


def _file_signer(row: AgencySigner) -> signers.Signer:
    secret = _secret(row)
    chain = [row.chain_path] if row.chain_path else None
    for path in filter(None, [row.key_path, row.cert_path, row.chain_path]):
        if not os.path.isfile(path):
            raise SignerUnavailable(f"{path} does not exist")
    if row.cert_path:
        signer = signers.SimpleSigner.load(
            row.key_path, row.cert_path, ca_chain_files=chain, key_passphrase=secret.encode() if secret else None)
    else:
        signer = signers.SimpleSigner.load_pkcs12(
            row.key_path, ca_chain_files=chain, passphrase=secret.encode() if secret else None)
    if signer is None:  # pyHanko logs the reason and answers None
        raise SignerUnavailable(f"cannot read the key of {row.agency}")
    return signer


def _pkcs11_signer(row: AgencySigner):
    """A session on the token and its signer; the caller closes the session after signing."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    session = pkcs11.open_pkcs11_session(
        row.pkcs11_module, token_criteria=TokenCriteria(label=row.pkcs11_token), user_pin=_secret(row))
    chain = load_certs_from_pemder([row.chain_path]) if row.chain_path else ()
    signer = pkcs11.PKCS11Signer(
        session, key_label=row.pkcs11_key_label, cert_label=row.pkcs11_cert_label or row.pkcs11_key_label,
        ca_chain=list(chain))
    return signer, session


def signer_open(row: AgencySigner):
    """The pyHanko signer for `row` and what to close once signed (a PKCS#11 session, or None)."""
    try:
        if row.kind == SignerKind.FILE:
            return _file_signer(row), None
        if row.kind == SignerKind.PKCS11:
            return _pkcs11_signer(row)
        return RemoteSigner(remote_service(row.remote_service)(agency_signer=row)), None
    except SignerUnavailable:
        raise
    except Exception as exc:  # a library's own error: one kind for the caller
        raise SignerUnavailable(f"{type(exc).__name__}: {exc}") from exc
