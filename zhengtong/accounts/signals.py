"""Receivers: password history and audit, session records, lockout audit, role separation, superuser refusal."""

import logging

from axes.signals import user_locked_out
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, post_migrate, post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from zhengtong.accounts import breakglass, passwords, sessions
from zhengtong.accounts.separation import (
    RoleConflict,
    administrator_roles_of,
    conflict_message,
    conflicting_roles,
    sync_role_groups,
)
from zhengtong.audit.middleware import current_request
from zhengtong.audit.services import record
from zhengtong.core import roles

User = get_user_model()
logger = logging.getLogger(__name__)


# --- Passwords -----------------------------------------------------------------


@receiver(post_save, sender=User, dispatch_uid="zt_accounts_password_set")
def on_user_saved(sender, instance, created, raw=False, **kwargs):
    # AbstractBaseUser keeps the raw password in _password from set_password() until after this save; a hash
    # upgrade at login (PBKDF2 → Argon2) clears it first, so it does not count as a change.
    # create_user() stores a ready hash without set_password(): a new account counts as a password set too.
    if raw:
        return
    if created:
        if instance.has_usable_password():
            passwords.remember_password(instance)
        return
    if getattr(instance, "_password", None) is None:
        return
    request = current_request()
    by_self = request is not None and getattr(request, "user", None) == instance
    by_other = request is not None and not by_self and getattr(request, "user", None) is not None
    # A password set by an administrator is known to two people: its owner must replace it at next login.
    passwords.remember_password(instance, must_change=by_other and request.user.is_authenticated)
    keep = sessions.current(request) if by_self else None
    ended = sessions.end_others(instance, keep, "password_change")
    record("auth.password_change", obj=instance, detail={"other_sessions_ended": ended})


# --- Sessions ------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="zt_accounts_session_start")
def on_logged_in(sender, request, user, **kwargs):
    if request is not None:
        sessions.start(request, user)
        if user.is_superuser:
            breakglass.revoke_expired(user.pk)


@receiver(user_logged_out, dispatch_uid="zt_accounts_session_end")
def on_logged_out(sender, request, user, **kwargs):
    if request is not None:
        entry = sessions.current(request)
        if entry is not None:
            sessions.end(entry, "logout")


# --- Lockout -------------------------------------------------------------------


@receiver(user_locked_out, dispatch_uid="zt_accounts_lockout")
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    # Axes sends this when the limit is reached (after counting the failure: axes_failures_since_start is
    # set) and again for each attempt refused during the lockout; only the first is the lockout event.
    # The failed attempts themselves are recorded as auth.login_failed by zhengtong.audit.
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    record(
        "auth.lockout",
        request=request,
        result="denied",
        detail={
            "username": (username or "")[:150],
            "address": ip_address,
            "failures": request.axes_failures_since_start,
        },
    )


# --- 三员分立 ------------------------------------------------------------------


def _refuse(user, names: set[str]) -> None:
    # The related manager runs the change in a transaction that this exception rolls back, so an audit record
    # written here would vanish with it: the forms (Wagtail's user form, the roles page) check first and
    # record role.refuse; this refusal is the safety net for code paths, logged for the operator.
    logger.warning("refused giving %s roles that 三员分立 keeps apart: %s", user, ", ".join(sorted(names)))
    raise RoleConflict(conflict_message(names), code="role_conflict")


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="zt_accounts_role_separation")
def on_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("pre_add", "post_add") or not pk_set:
        return
    if not reverse:  # user.groups.add(group, …)
        added = set(Group.objects.filter(pk__in=pk_set, name__in=roles.SEPARATED_ROLES).values_list("name", flat=True))
        if not added:
            return
        if action == "pre_add":
            current = administrator_roles_of(instance.pk) - added
            if conflicting_roles(current, added):
                _refuse(instance, current | added)
        else:
            for name in sorted(added):
                record("role.assign", obj=instance, detail={"role": name})
        return
    # group.user_set.add(user, …)
    if instance.name not in roles.SEPARATED_ROLES:
        return
    for user in User.objects.filter(pk__in=pk_set):
        if action == "pre_add":
            current = administrator_roles_of(user.pk) - {instance.name}
            if conflicting_roles(current, {instance.name}):
                _refuse(user, current | {instance.name})
        else:
            record("role.assign", obj=user, detail={"role": instance.name})


@receiver(pre_save, sender=User, dispatch_uid="zt_accounts_superuser_refusal")
def refuse_superuser_in_production(sender, instance, raw=False, update_fields=None, **kwargs):
    """In production the superuser flag is set only by break-glass (GB/T 22239-2019 8.1.4.2)."""
    if raw or not settings.PRODUCTION or not instance.is_superuser or breakglass.granting():
        return
    if update_fields is not None and "is_superuser" not in update_fields:
        return
    if instance.pk is not None:
        was = User.objects.filter(pk=instance.pk).values_list("is_superuser", flat=True).first()
        if was or breakglass.has_active_grant(instance.pk):
            return  # already set (by break-glass, or before this rule): not a new grant
    record("role.refuse", obj=instance if instance.pk else None, result="denied", detail={"superuser": True})
    raise ValidationError(
        _(
            "生产环境不能设置超级用户。紧急情况请在服务器上执行 ./zt breakglass 用户名 --reason 原因"
            "（有时限并记入审计）。"
        ),
        code="superuser_refused",
    )


# --- Role groups after migrate -------------------------------------------------


@receiver(post_migrate, dispatch_uid="zt_accounts_sync_roles")
def on_post_migrate(sender, **kwargs):
    # Once, after the last app's permissions exist (post_migrate is sent app by app, in INSTALLED_APPS order).
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if with_models and sender.name == with_models[-1].name:
        sync_role_groups()
