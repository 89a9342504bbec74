from django.urls import URLPattern, URLResolver, path

from motcua.office.certificates import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("chung-thu-so/", views.certificate_list, name="certificate_list"),
    path("chung-thu-so/dang-ky/", views.certificate_register, name="certificate_register"),
    path(
        "chung-thu-so/<int:certificate_id>/ngung-su-dung/",
        views.certificate_deactivate,
        name="certificate_deactivate",
    ),
]
