from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.models import Site

from zhengtong.portal.queries import site_items

FEED_ITEMS = 30


class ChineseRssFeed(Rss201rev2Feed):
    content_type = "application/rss+xml; charset=utf-8"


class _ItemFeed(Feed):
    feed_type = ChineseRssFeed
    language = "zh-cn"

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or strip_tags(item.body)[:200]

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return item.display_date

    def item_author_name(self, item):
        return item.display_source()

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)


class ColumnFeed(_ItemFeed):
    def get_object(self, request, column):
        return column

    def title(self, column):
        site = column.get_site()
        return f"{column.title} - {site.site_name if site else ''}"

    def link(self, column):
        return column.get_full_url(self.request)

    def description(self, column):
        return column.intro or _("%(title)s栏目最新信息") % {"title": column.title}

    def items(self, column):
        return column.items()[:FEED_ITEMS]


class SiteFeed(_ItemFeed):
    def get_object(self, request):
        site = Site.find_for_request(request)
        if site is None:
            from django.http import Http404

            raise Http404
        return site

    def title(self, site):
        return site.site_name

    def link(self, site):
        return site.root_url

    def description(self, site):
        return _("%(name)s最新信息") % {"name": site.site_name}

    def items(self, site):
        return site_items(site.root_page)[:FEED_ITEMS]
