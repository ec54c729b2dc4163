from django.urls import path, re_path

from tuyengiao.contests import certificate_views, standings_views, views

app_name = "contests"
# Ids in addresses are bounded so that none overflows a database integer.
ATTEMPT = r"(?P<attempt_id>[0-9]{1,9})"
urlpatterns = [
    path("", views.contest_list, name="list"),
    re_path(rf"^lam-bai/{ATTEMPT}/$", views.attempt_page, name="attempt"),
    re_path(rf"^ket-qua/{ATTEMPT}/$", views.attempt_result, name="result"),
    re_path(r"^chung-nhan/(?P<code>[-_a-zA-Z0-9]{1,64})/$", certificate_views.certificate_verify, name="certificate"),
    path("<slug:slug>/", views.contest_detail, name="detail"),
    re_path(r"^(?P<slug>[-a-zA-Z0-9_]+)/vong/(?P<number>[0-9]{1,4})/xep-hang/$", views.ranking, name="ranking"),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/vong/(?P<number>[0-9]{1,4})/giai-thuong/$", standings_views.winners, name="winners"
    ),
    re_path(r"^(?P<slug>[-a-zA-Z0-9_]+)/vong/(?P<number>[0-9]{1,4})/don-vi/$", standings_views.units, name="units"),
    re_path(r"^(?P<slug>[-a-zA-Z0-9_]+)/xep-hang-chung/$", standings_views.overall, name="overall"),
]
