from django.urls import path

from motcua.portal.store import views

urlpatterns = [
    path("kho-du-lieu/", views.my_store, name="my_store"),
    path("kho-du-lieu/<int:document_id>/tai-xuong/", views.my_store_file, name="my_store_file"),
]
