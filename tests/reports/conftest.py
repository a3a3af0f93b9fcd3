import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The hand-made data creates citizens and clerks; the real hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
