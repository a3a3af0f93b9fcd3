"""django-oauth-toolkit registers its models in the admin; the sandbox provider is driven from /sandbox/idp/dieu-khien/,
so the portal's admin shows none of a stand-in's tables (its permission matrix and translated names are the product's)."""

from django.contrib import admin
from oauth2_provider.models import get_access_token_model, get_application_model, get_grant_model, \
    get_id_token_model, get_refresh_token_model

for model in (get_application_model(), get_access_token_model(), get_grant_model(), get_id_token_model(),
              get_refresh_token_model()):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
