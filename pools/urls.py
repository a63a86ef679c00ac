from django.urls import path

from core.cache_stamps import public_cache
from pools import views

app_name = "pools"

urlpatterns = [
    path("puljer/", public_cache("pools")(views.pool_list), name="list"),
    path("puljer/<slug:slug>/", public_cache("pools")(views.pool_detail), name="detail"),
    path("sekretariat/puljer/", views.manage_list, name="manage_list"),
    path("sekretariat/puljer/ny/", views.pool_edit, name="new"),
    path("sekretariat/puljer/<int:pk>/", views.manage, name="manage"),
    path("sekretariat/puljer/<int:pk>/rediger/", views.pool_edit, name="edit"),
    path("sekretariat/puljer/<int:pk>/bevilling/ny/", views.grant_new, name="grant_new"),
    path(
        "sekretariat/puljer/bevillinger/<int:pk>/tilbagekald/",
        views.grant_withdraw,
        name="grant_withdraw",
    ),
]
