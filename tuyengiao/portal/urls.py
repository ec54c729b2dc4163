from django.urls import path, re_path

from tuyengiao.portal import views
from tuyengiao.portal.feeds import CategoryFeed, LatestFeed

app_name = "portal"
# Numbers in addresses are bounded, so that no address can overflow a database integer or a date.
urlpatterns = [
    path("tim-kiem/", views.search, name="search"),
    re_path(r"^phan-hoi/(?P<article_id>[0-9]{1,9})/$", views.feedback, name="feedback"),
    path("chu-de/<str:slug>/", views.tag, name="tag"),
    path("luu-tru/", views.archive, name="archive"),
    re_path(r"^luu-tru/(?P<year>(?:19|20)[0-9]{2})/(?P<month>[0-9]{1,2})/$", views.archive, name="archive_month"),
    path("rss/", LatestFeed(), name="feed_latest"),
    path("rss/<slug:slug>/", CategoryFeed(), name="feed_category"),
]
