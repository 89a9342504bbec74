from django.urls import path

from motcua.office.payments import views

urlpatterns = [
    path("ho-so/<str:dossier_code>/thu-phi/", views.payment_counter, name="payment_counter"),
    path("thanh-toan/<str:order_id>/bien-lai.pdf", views.payment_receipt_pdf, name="payment_receipt_pdf"),
    path("doi-soat-thanh-toan/", views.payment_reconciliation, name="payment_reconciliation"),
]
