"""The migrations match the models, the development stand-ins' included (the suite installs them)."""

import pytest
from django.apps import apps
from django.core.management import call_command


@pytest.mark.django_db
def test_the_migrations_match_the_models():
    assert apps.is_installed("sandbox") and apps.is_installed("demo")
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # SystemExit(1) when one is missing
