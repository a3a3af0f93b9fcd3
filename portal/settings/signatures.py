"""Signed documents (issue 29 §3): the time-stamping authority, the trusted roots, and the bounds of verification.

Each agency's key is configured by the operator in the admin (signatures.AgencySigner: paths and token labels, the
passphrase in an environment variable it names); an agency without one issues its documents unsigned, as before.
"""

from .base import DEMO_MODE, VAR_DIR, env

# RFC 3161 time-stamping authority whose timestamp makes every signature PAdES B-T; empty: signatures without one
# (B-B; `check --deploy` warns). Seconds to wait for its answer.
SIGNATURES_TSA_URL = env.str("SIGNATURES_TSA_URL", default="")
SIGNATURES_TSA_TIMEOUT = env.int("SIGNATURES_TSA_TIMEOUT", default=10)
# Development only: `seed_demo` makes a demo CA and a demo key for each demo agency here (never committed);
# `check --deploy` refuses a signer or a trusted root found under it.
SIGNATURES_DEMO_DIR = VAR_DIR / "demo-signing"
# The root certificates the portal trusts (the national root CA of the Ministry of Information and Communications,
# the Government Cipher Committee's): a PEM/DER file or a folder of them. Empty: no chain is trusted. With
# DEMO_MODE, the demo root that seed_demo made.
SIGNATURES_TRUST_ROOTS = env.str(
    "SIGNATURES_TRUST_ROOTS", default=str(SIGNATURES_DEMO_DIR / "root.pem") if DEMO_MODE else "")
# Revocation (CRL, OCSP) and missing CA certificates fetched from the addresses in the certificates, each request
# bounded by the timeout, and the whole verification by SIGNATURES_VERIFY_TIMEOUT. Off: only what the PDF embeds.
SIGNATURES_FETCH = env.bool("SIGNATURES_FETCH", default=True)
SIGNATURES_FETCH_TIMEOUT = env.int("SIGNATURES_FETCH_TIMEOUT", default=5)
SIGNATURES_FETCH_MAX_REQUESTS = env.int("SIGNATURES_FETCH_MAX_REQUESTS", default=20)
SIGNATURES_VERIFY_TIMEOUT = env.int("SIGNATURES_VERIFY_TIMEOUT", default=20)
# A citizen's upload is verified while it is stored: a shorter bound.
SIGNATURES_UPLOAD_VERIFY_TIMEOUT = env.int("SIGNATURES_UPLOAD_VERIFY_TIMEOUT", default=8)
# /xac-thuc-van-ban/: the largest PDF taken, the signatures read from one, and the checks per address.
SIGNATURES_VERIFY_MAX_BYTES = env.int("SIGNATURES_VERIFY_MAX_BYTES", default=10 * 2**20)
SIGNATURES_VERIFY_MAX_SIGNATURES = env.int("SIGNATURES_VERIFY_MAX_SIGNATURES", default=10)
SIGNATURES_VERIFY_RATE_LIMIT = env.int("SIGNATURES_VERIFY_RATE_LIMIT", default=20)
SIGNATURES_VERIFY_RATE_WINDOW = env.int("SIGNATURES_VERIFY_RATE_WINDOW", default=600)
