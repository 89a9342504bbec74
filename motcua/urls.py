from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

# The Django admin (reference data only) asks for a TOTP code like the officers' pages.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", include("motcua.portal.urls")),
    path("can-bo/", include("motcua.office.urls")),
    path("api/v1/", include("motcua.api.urls")),
    path("quan-tri/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEV_IDP:  # the local national identity provider (demo only; docs/accounts.md)
    urlpatterns.append(path("idp/", include("motcua.devidp.urls")))
