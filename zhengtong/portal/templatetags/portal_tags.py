from django import template
from wagtail.models import Site

from zhengtong.portal.queries import ancestors_within, menu_pages

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_root(context):
    """The home page of the portal being viewed."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page.specific if site else None


@register.inclusion_tag("portal/includes/main_nav.html", takes_context=True)
def main_nav(context):
    root = portal_root(context)
    page = context.get("page")
    # The home page's section tiles read the same list: one query per request for both.
    sections = menu_pages(root, context.get("request")) if root else []
    active_path = page.path if page else ""
    return {
        "root": root,
        "sections": [(s, active_path.startswith(s.path)) for s in sections],
        "is_home": page is not None and root is not None and page.pk == root.pk,
    }


@register.inclusion_tag("portal/includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    root = portal_root(context)
    if page is None or root is None or page.pk == root.pk:
        return {"ancestors": [], "page": page}
    return {"ancestors": ancestors_within(page, root), "page": page}


@register.filter
def cn_date(value):
    """2015-03-05 style; every item shows its publication date (政府网站发展指引)."""
    if not value:
        return ""
    from django.utils import timezone

    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d")
