"""What the API keeps for itself: the idempotency keys of dossier creation requests."""

from django.db import models

from motcua.dossiers.models import Dossier


class IdempotencyKey(models.Model):
    """A creation request received with an ``Idempotency-Key``: the dossier it made and a fingerprint of
    its body. A replay with the same body answers with the same dossier; the same key with another body
    is a client error (409), never a second dossier or a silent merge.

    ``key`` is the key as stored on ``Dossier.idempotency_key`` (scoped to the caller, see
    ``api.dossiers``), written in the same transaction as the dossier.
    """

    key = models.CharField(max_length=80, unique=True)
    fingerprint = models.CharField(max_length=64)
    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
