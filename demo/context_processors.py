from django.urls import reverse_lazy


def demo(request):
    """The demo mailbox's address, for the pages that offer a link to it (registration done).

    Listed in TEMPLATES only when DEMO_MODE is on: the product's templates show the link when the value is
    there and know nothing of the demo otherwise.
    """
    return {"demo_mailbox_url": reverse_lazy("demo:mailbox")}
