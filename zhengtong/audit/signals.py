"""The first events of the audit trail, wired from Django's and Wagtail's signals.

GB/T 22239-2019 8.1.4.3 安全审计: logins (success and failure), logouts, publishing and unpublishing,
and changes of groups and permissions are security-relevant events.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageLogEntry

from zhengtong.audit.services import record

User = get_user_model()


@receiver(user_logged_in, dispatch_uid="zt_audit_login")
def on_login(sender, request, user, **kwargs):
    record("auth.login", actor=user, request=request, obj=user)


@receiver(user_logged_out, dispatch_uid="zt_audit_logout")
def on_logout(sender, request, user, **kwargs):
    record("auth.logout", actor=user, request=request, obj=user)


@receiver(user_login_failed, dispatch_uid="zt_audit_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    # Only the name tried: never the password (Django has masked it already, but keep nothing else).
    username = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")[:150]
    record("auth.login_failed", request=request, result="failure", detail={"username": username})


# Publishing is read from Wagtail's own page log rather than page_published: the log entry names the user
# (page_unpublished does not), and the bulk importer, which sends no per-page signals (portal/bulk.py),
# stays out of a per-page audit (an import should be recorded once, by the importer).
PAGE_LOG_ACTIONS = {"wagtail.publish": "page.publish", "wagtail.unpublish": "page.unpublish"}


@receiver(post_save, sender=PageLogEntry, dispatch_uid="zt_audit_page_log")
def on_page_logged(sender, instance, created, raw=False, **kwargs):
    if raw or not created or instance.action not in PAGE_LOG_ACTIONS:
        return
    detail = {"revision": instance.revision_id} if instance.revision_id else {}
    record(PAGE_LOG_ACTIONS[instance.action], actor=instance.user, obj=instance.page, detail=detail)


@receiver(post_save, sender=Group, dispatch_uid="zt_audit_group_saved")
def on_group_saved(sender, instance, created, raw=False, **kwargs):
    if raw:  # loaddata: restoring existing data, not an event
        return
    record("auth.group_create" if created else "auth.group_change", obj=instance)


@receiver(post_delete, sender=Group, dispatch_uid="zt_audit_group_deleted")
def on_group_deleted(sender, instance, **kwargs):
    record("auth.group_delete", obj=instance, detail={"name": instance.name})


M2M_ACTIONS = {"post_add": "add", "post_remove": "remove", "post_clear": "clear"}


def _membership_changed(action_code: str, instance, action: str, reverse: bool, model, pk_set) -> None:
    if action not in M2M_ACTIONS:
        return
    names = []
    if pk_set:
        names = sorted(str(o) for o in model._default_manager.filter(pk__in=pk_set))
    record(action_code, obj=instance, detail={"change": M2M_ACTIONS[action], "reverse": reverse, "items": names})


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="zt_audit_user_groups")
def on_user_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    # Forward: user.groups.add(group) → instance is the user; reverse: group.user_set.add(user).
    _membership_changed("auth.user_groups", instance, action, reverse, model, pk_set)


@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="zt_audit_user_permissions")
def on_user_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    _membership_changed("auth.user_permissions", instance, action, reverse, model, pk_set)


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="zt_audit_group_permissions")
def on_group_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    _membership_changed("auth.group_permissions", instance, action, reverse, model, pk_set)
