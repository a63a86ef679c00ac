from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.outbox_list, name="list"),
    path("<int:pk>/", views.outbox_detail, name="detail"),
    path("<int:pk>/send-igen/", views.outbox_resend_view, name="resend"),
]
