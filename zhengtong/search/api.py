"""GET /api/v1/search: the search API (django-ninja; OpenAPI document at /api/v1/openapi.json)."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from wagtail.models import Site

from zhengtong.search.query import search
from zhengtong.search.views import filters_for, site_sections

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = Field(..., min_length=1, max_length=100, description="搜索词；空格分隔表示都要包含，引号内按原样匹配")
    site: str | None = Field(None, description="站点域名；省略时为请求所在站点")
    section: int | None = Field(None, description="版块页面编号（信息公开等）")
    type: str | None = Field(None, description="类型，如 信息、政策文件")
    date_from: dt.date | None = Field(None, alias="from", description="发布日期起（含）")
    date_to: dt.date | None = Field(None, alias="to", description="发布日期止（含）")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10000)


class SearchHit(Schema):
    title: str
    url: str
    type: str
    published_at: dt.datetime | None
    source_id: str | None
    snippet: str = Field(description="摘要，HTML，已转义，命中处用 <mark> 标出")


class SearchOut(Schema):
    total: int = Field(description="命中条数；total_exact 为 false 时是下限（命中超过这个数，只能翻到这么多条）")
    total_exact: bool = Field(description="total 是否为确切条数（PostgreSQL 上命中很多时只数到上限）")
    results: list[SearchHit]


@router.get("/search", response=SearchOut, summary="站内全文检索")
def search_api(request, params: Query[SearchParams]):
    if params.site:
        site = Site.objects.filter(hostname=params.site).first()
        if site is None:
            raise HttpError(422, _("没有这个站点：%(site)s") % {"site": params.site})
    else:
        site = Site.find_for_request(request)
        if site is None:
            raise HttpError(422, _("无法确定站点，请用 site 参数指定域名。"))
    section = None
    if params.section is not None:
        section = site_sections(site).filter(pk=params.section).first()
        if section is None:
            raise HttpError(422, _("这个站点没有编号为 %(id)s 的版块。") % {"id": params.section})
    if params.date_from and params.date_to and params.date_from > params.date_to:
        raise HttpError(422, _("截止日期不能早于起始日期。"))
    filters = filters_for(site, section, params.type, params.date_from, params.date_to)
    results = search(params.q, filters, limit=params.limit, offset=params.offset)
    return {
        "total": results.total,
        "total_exact": not results.capped,
        "results": [
            {
                "title": d.title,
                "url": request.build_absolute_uri(d.url) if d.url.startswith("/") else d.url,
                "type": d.kind,
                "published_at": d.published_at,
                "source_id": d.source_id or None,
                "snippet": results.snippet(d),
            }
            for d in results.documents
        ],
    }
