from django.urls import path

from agreements import views
from core.cache_stamps import public_cache

app_name = "agreements"

urlpatterns = [
    path("hovedaftale/", views.current, name="current"),
    path(
        "hovedaftale/nyheder.atom", public_cache("agreements")(views.AdjustmentFeed()), name="feed"
    ),
    path("hovedaftale/<int:pk>/", views.detail, name="detail"),
    path("hovedaftale/<int:pk>/sammenlign/", views.compare, name="compare"),
    path("hovedaftale/<int:pk>/forhandlet.pdf", views.negotiated_pdf, name="negotiated_pdf"),
    path("hovedaftale/<int:pk>/version/<int:number>/", views.version, name="version"),
    path("hovedaftale/<int:pk>/version/<int:number>.pdf", views.version_pdf, name="version_pdf"),
    path("delaftaler/", views.sub_agreements, name="subs"),
    path("delaftaler/<int:pk>/", views.sub_detail, name="sub_detail"),
    path("delaftaler/dokumenter/<int:pk>/", views.sub_document, name="sub_document"),
    path("indsatser/", views.initiatives, name="initiatives"),
    path("indsatser/<int:pk>/", views.initiative, name="initiative"),
    path("sekretariat/hovedaftaler/", views.manage_list, name="manage_list"),
    path("sekretariat/hovedaftaler/ny/", views.agreement_edit, name="new"),
    path("sekretariat/hovedaftaler/<int:pk>/", views.manage, name="manage"),
    path("sekretariat/hovedaftaler/<int:pk>/rediger/", views.agreement_edit, name="edit"),
    path(
        "sekretariat/hovedaftaler/<int:agreement_pk>/temaer/ny/", views.theme_edit, name="theme_new"
    ),
    path("sekretariat/temaer/<int:pk>/rediger/", views.theme_edit, name="theme_edit"),
    path("sekretariat/hovedaftaler/<int:pk>/forhandlet/", views.negotiated, name="negotiated"),
    path(
        "sekretariat/hovedaftaler/<int:pk>/borgerrepraesentationen/",
        views.br_approval,
        name="br_approval",
    ),
    path(
        "sekretariat/hovedaftaler/<int:pk>/boligorganisationerne/",
        views.housing_approval,
        name="housing_approval",
    ),
    path("sekretariat/hovedaftaler/<int:pk>/justering/", views.adjust, name="adjust"),
    path("sekretariat/delaftaler/ny/", views.sub_edit, name="sub_new"),
    path("sekretariat/delaftaler/<int:pk>/rediger/", views.sub_edit, name="sub_edit"),
    path("sekretariat/indsatser/ny/", views.initiative_edit, name="initiative_new"),
    path("sekretariat/indsatser/<int:pk>/rediger/", views.initiative_edit, name="initiative_edit"),
    path(
        "sekretariat/indsatser/<int:pk>/indstillet/",
        views.initiative_propose,
        name="initiative_propose",
    ),
    path(
        "sekretariat/indsatser/<int:pk>/beslutning/",
        views.initiative_decide,
        name="initiative_decide",
    ),
]
