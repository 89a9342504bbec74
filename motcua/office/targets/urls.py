from django.urls import URLPattern, URLResolver, path

from motcua.office.targets import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("chi-tieu-giao/", views.targets, name="targets"),
    path("chi-tieu-giao/them/", views.target_add, name="target_add"),
    path("chi-tieu-giao/sua/", views.target_edit, name="target_edit"),
    path("chi-tieu-giao/sao-chep/", views.targets_copy, name="targets_copy"),
]
