from django.contrib.auth.models import Permission
from django.urls import include, path
from wagtail import hooks

from zhengtong.privacy import admin_urls


@hooks.register("register_admin_urls")
def register_privacy_urls():
    return [path("privacy/", include(admin_urls))]


@hooks.register("register_permissions")
def register_privacy_permissions():
    # Shown in 设置 → 组, so the security administrator can grant it to the groups that need it.
    return Permission.objects.filter(content_type__app_label="zt_privacy", codename="view_full_personal_data")
