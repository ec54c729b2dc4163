from django.urls import path

from tuyengiao.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.unit_directory, name="directory"),
    path("<str:code>/", views.unit_detail, name="detail"),
]
