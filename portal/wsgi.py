import os

from django.core.wsgi import get_wsgi_application

from portal.startup import refuse_to_start_on_unsafe_defaults

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
refuse_to_start_on_unsafe_defaults()
application = get_wsgi_application()
