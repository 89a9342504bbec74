from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    verbose_name = _("Thanh toán")

    def ready(self) -> None:
        from motcua.payments import checks  # noqa: F401  (registers the deploy checks)
