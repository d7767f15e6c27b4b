"""三员分立: the system, security and audit administrators, whose powers do not overlap.

GB/T 22239-2019 8.1.4.2 访问控制 c) 应对系统管理员、审计管理员、安全管理员进行角色划分并授予最小权限,
and 8.1.10.2 (集中管控) for the division itself. Each role is a Django group (names in
``zhengtong.core.roles``) whose permissions are set here on every ``migrate`` (idempotent). No account
may hold two of these groups, nor one of them together with a case-handling role (``roles.CASE_ROLES``,
whose permissions are synced here too): the assignment is refused whichever side of the relation it comes from.
"""

from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from zhengtong.core import roles

ACCESS_ADMIN = ("wagtailadmin", "access_admin")  # logging in to the admin: the one permission all three hold


def _model_permissions(app_label: str, model: str) -> list[tuple[str, str]]:
    return [(app_label, f"{action}_{model}") for action in ("add", "change", "delete", "view")]


def _setting_models() -> list[tuple[str, str]]:
    """Wagtail settings models (site and generic settings): configuration belongs to the system administrator."""
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

    found = []
    for model in apps.get_models():
        if issubclass(model, BaseSiteSetting | BaseGenericSetting):
            found.append((model._meta.app_label, model._meta.model_name))
    return found


def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """(app_label, codename) of each administrator role. Disjoint apart from ``wagtailadmin.access_admin``."""
    system = [ACCESS_ADMIN]
    system += _model_permissions("core", "user") + _model_permissions("core", "organisation")
    system += _model_permissions("wagtailcore", "site")
    system += [("zt_notifications", "view_message")]  # the record of sent SMS and email (notifications outbox)
    for app_label, model in _setting_models():
        system += _model_permissions(app_label, model)
    security = [ACCESS_ADMIN, *_model_permissions("auth", "group")]
    security += [("zt_accounts", "unlock_account"), ("zt_accounts", "assign_roles")]
    audit = [ACCESS_ADMIN, ("zt_audit", "view_auditrecord")]
    return {roles.SYSTEM_ADMIN: system, roles.SECURITY_ADMIN: security, roles.AUDIT_ADMIN: audit}


def platform_role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Every platform-wide group whose permissions are fixed: the 三员 and the case-handling roles."""
    return {**role_permissions(), **roles.CASE_ROLE_PERMISSIONS}


def _permission_objects(pairs: Iterable[tuple[str, str]]) -> list[Permission]:
    query = Q(pk__in=[])
    for app_label, codename in pairs:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def sync_role_groups() -> list[str]:
    """Create the platform groups and give each exactly its permissions (run after every migrate).

    Written without model signals: creating the groups on a new installation (or a test database being
    flushed) is set-up, not an administrator's act. When an existing group's permissions had been changed and
    are put back, that is recorded once as ``role.sync``. Returns the names of the groups whose permissions
    were put back.
    """
    from zhengtong.audit.services import record

    through = Group.permissions.through
    restored = []
    for name, pairs in platform_role_permissions().items():
        group = Group.objects.filter(name=name).first()
        created = group is None
        if created:
            Group.objects.bulk_create([Group(name=name)])
            group = Group.objects.get(name=name)
        wanted = {p.pk for p in _permission_objects(pairs)}
        current = set(through.objects.filter(group=group).values_list("permission_id", flat=True))
        if current == wanted:
            continue
        through.objects.filter(group=group).exclude(permission_id__in=wanted).delete()
        through.objects.bulk_create([through(group=group, permission_id=pk) for pk in wanted - current])
        if not created:
            restored.append(name)
    if restored:
        record("role.sync", detail={"groups": restored})
    return restored


def administrator_roles_of(user_pk: int) -> set[str]:
    """The separated roles (三员 and case handling) the account holds."""
    return set(Group.objects.filter(user__pk=user_pk, name__in=roles.SEPARATED_ROLES).values_list("name", flat=True))


class RoleConflict(ValidationError):
    """Raised when an assignment would give one account two administrator roles."""


def conflict_message(names: Iterable[str]) -> str:
    names = set(names)
    if names & set(roles.CASE_ROLES):
        return _(
            "同一账号不能同时担任%(roles)s：三员分立要求系统管理员、安全管理员、审计管理员不兼任办件等业务角色。"
        ) % {"roles": "、".join(sorted(names))}
    return _("同一账号不能同时担任%(roles)s：三员分立要求系统管理员、安全管理员、审计管理员由不同账号担任。") % {
        "roles": "、".join(sorted(names))
    }


def conflicting_roles(current: Iterable[str], added: Iterable[str]) -> set[str]:
    """The separated roles an account would hold in conflict if it kept ``current`` and got ``added``; else empty.

    Two administrator roles conflict, and so does an administrator role with any case-handling role; the
    case-handling roles go together freely (a small office's clerk may also review).
    """
    held = {n for n in (*current, *added) if n in roles.SEPARATED_ROLES}
    administrators = held & set(roles.ADMINISTRATOR_ROLES)
    if len(administrators) > 1 or (administrators and held - administrators):
        return held
    return set()
