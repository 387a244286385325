"""The way back from acting as a buyer: reached from the storefront's banner, so it is not
one of the admin's own pages (those are closed to the buyer's session)."""

from django.urls import path

from comptoir.sales import views

app_name = "sales"

urlpatterns = [
    path("stop/", views.acting_stop, name="acting_stop"),
]
