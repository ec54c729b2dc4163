from django.conf import settings
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from tuyengiao.accounts.views import AdminLoginView
from tuyengiao.api.main import api
from tuyengiao.api.views import api_not_found
from tuyengiao.core.views import language_switch
from tuyengiao.documents.sitemaps import DocumentSitemap
from tuyengiao.library.sitemaps import BookSitemap

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),
    path("i18n/", language_switch, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/login/", AdminLoginView.as_view(), name="wagtailadmin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("don-vi/", include("tuyengiao.orgs.urls")),
    path("van-ban/", include("tuyengiao.documents.urls")),
    path("cuoc-thi/", include("tuyengiao.contests.urls")),
    path("thu-vien/", include("tuyengiao.library.urls")),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"pages": WagtailSitemap, "documents": DocumentSitemap, "books": BookSitemap}},
    ),
    path("", include("tuyengiao.portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
