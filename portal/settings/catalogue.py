"""The catalogue of procedures."""

from .base import env

CATALOGUE_PAGE_SIZE = env.int("CATALOGUE_PAGE_SIZE", default=20)
# The province's code in the national procedure codes (1.004232.000.00.00.H34): H34 is Kon Tum.
PROVINCE_CODE = env("PROVINCE_CODE", default="H34")
