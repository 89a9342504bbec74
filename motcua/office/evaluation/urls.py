from django.urls import URLPattern, URLResolver, path

from motcua.office.evaluation import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("danh-gia-tthc/", views.evaluation, name="evaluation"),
]
