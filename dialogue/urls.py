from django.urls import path

from dialogue import views

app_name = "dialogue"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("afdelinger/ny/", views.estate_new, name="estate_new"),
    path("<int:year>/", views.round_detail, name="round"),
    path("<int:year>/status/", views.round_advance, name="advance"),
    path("<int:year>/omraader/ny/", views.area_new, name="area_new"),
    path("<int:year>/moeder/ny/", views.meeting_new, name="meeting_new"),
    path("<int:year>/moeder/<int:pk>/opfoelgning/ny/", views.follow_up_new, name="follow_up_new"),
    path("<int:year>/moeder/<int:pk>/forslag/", views.issue_raise, name="issue_raise"),
    path(
        "<int:year>/opfoelgning/<int:pk>/status/", views.follow_up_status, name="follow_up_status"
    ),
]
