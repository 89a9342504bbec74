from django.urls import URLPattern, URLResolver, path

from motcua.office.indicators import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("chi-so/", views.indicator_board, name="indicator_board"),
]
