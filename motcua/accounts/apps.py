from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "motcua.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from motcua.accounts import checks  # noqa: F401  (registers the deploy checks)
