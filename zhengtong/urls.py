from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap
from wagtail.documents import urls as wagtaildocs_urls

from zhengtong.api import api
from zhengtong.core.views import healthz
from zhengtong.hardening.views import serve_media
from zhengtong.portal import views as portal_views
from zhengtong.portal.feeds import SiteFeed
from zhengtong.search.views import search_page

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("search/", search_page, name="search"),
    path("cases/", include("zhengtong.casework.public_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": Sitemap}}, name="sitemap"),
    path("rss.xml", SiteFeed(), name="site_rss"),
    path("display-mode/", portal_views.display_mode, name="display_mode"),
    path("favicon.ico", portal_views.favicon),
    path("kiosk/", include("zhengtong.disclosure.urls")),  # 政府信息公开查阅点
    path("xxgk/ndbg/", include("zhengtong.disclosure_report.urls")),  # 政府信息公开工作年度报告 (issue #6)
    path("xxgk/ysq/", include("zhengtong.disclosure_requests.urls")),  # 依申请公开: choose the organisation (issue #6)
]

if settings.SERVE_MEDIA:
    # Embedded installs serve uploads themselves; behind nginx, nginx serves ZT_DATA_DIR/media.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_media)]

urlpatterns += [path("", include(wagtail_urls))]
