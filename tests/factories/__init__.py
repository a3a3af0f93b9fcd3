"""Factories with domain helpers, shared by the tests of every app."""
