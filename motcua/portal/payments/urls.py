from django.urls import path

from motcua.portal.payments import sandbox_views, views

urlpatterns = [
    path("thanh-toan/ho-so/<str:dossier_code>/", views.payment_start, name="payment_start"),
    path("thanh-toan/giao-dich/<str:order_id>/", views.payment_return, name="payment_return"),
    path("thanh-toan/giao-dich/<str:order_id>/bien-lai.pdf", views.payment_receipt, name="payment_receipt"),
    path("thanh-toan/ngan-hang-thu-nghiem/", sandbox_views.sandbox_bank_page, name="sandbox_bank"),
]
