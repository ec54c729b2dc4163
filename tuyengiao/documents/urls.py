from django.urls import path, re_path

from tuyengiao.documents import feeds, views

app_name = "documents"
# Ids in addresses are bounded so that none overflows a database integer.
ID = r"(?P<pk>[0-9]{1,9})"
FILE = r"(?P<file_pk>[0-9]{1,9})"
urlpatterns = [
    path("", views.search, name="search"),
    re_path(rf"^{ID}/$", views.detail, name="detail"),
    re_path(rf"^{ID}/tep/{FILE}/$", views.file_download, name="file"),
    re_path(rf"^{ID}/tep/{FILE}/pdf/$", views.file_download, {"variant": "pdf"}, name="file_pdf"),
    re_path(rf"^{ID}/xem/{FILE}/$", views.viewer, name="viewer"),
    path("cap/<slug:level>/", views.by_level, name="level"),
    path("cap/<slug:level>/rss/", feeds.LevelFeed(), name="level_feed"),
    path("co-quan/<slug:slug>/", views.by_issuer, name="issuer"),
    path("co-quan/<slug:slug>/rss/", feeds.IssuerFeed(), name="issuer_feed"),
]
