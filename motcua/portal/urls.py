from django.urls import path

app_name = "portal"
urlpatterns = []  # type: ignore[var-annotated]
