from django.db import models

# The hidden input every form that creates something carries, and the header a client may send instead.
FORM_FIELD = "idempotency_key"
HEADER = "Idempotency-Key"


class KeyState(models.TextChoices):
    RUNNING = "running"  # the first request with the key is still working
    DONE = "done"  # it finished: `location` is where it sent the client
