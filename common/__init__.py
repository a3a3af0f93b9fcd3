"""Shared building blocks below every app of the portal.

`common` imports Django and libraries only, never an app of the portal (tests/test_import_direction.py
checks it), so any app may use it without a cycle: captcha field, file downloads, the PDF base with the
letterhead, the client's address and rate limiting.
"""
