from django.urls import URLPattern, URLResolver, path

from motcua.office.warnings import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("canh-bao/", views.warnings_page, name="warnings"),
]
