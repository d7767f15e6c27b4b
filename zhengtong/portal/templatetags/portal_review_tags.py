from django import template

from zhengtong.portal.wording import pending_warnings

register = template.Library()


@register.simple_tag
def wording_warnings(page):
    return pending_warnings(page)
