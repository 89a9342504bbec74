from django.urls import URLPattern, URLResolver, path

from motcua.office.store import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("kho-du-lieu/", views.store_lookup, name="store_lookup"),
]
