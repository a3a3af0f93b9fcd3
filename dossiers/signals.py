from django.dispatch import Signal

# Sent inside the writing transaction whenever a received dossier's figures may have changed (a move, a
# payment, a rating), with `dossier`: the reports app keeps its statistics with it (dossiers cannot import
# reports, which reads dossiers).
dossier_changed = Signal()
