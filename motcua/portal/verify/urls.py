from django.urls import URLPattern, path

from motcua.portal.verify import views

# Included into the portal's namespace: names are ``portal:<name>``.
urlpatterns: list[URLPattern] = [
    path("kiem-tra-chu-ky/", views.verify, name="verify_signature"),
]
