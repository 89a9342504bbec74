"""The project's routes plus the development provider at /idp/ (the tests mount it this way; the demo
mounts it with MOTCUA_DEV_IDP=1). Included by dotted path so this module imports nothing above devidp."""

from django.urls import include, path

urlpatterns = [
    path("idp/", include("motcua.devidp.urls")),
    path("", include("motcua.urls")),
]
