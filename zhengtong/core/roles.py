"""The platform's role groups.

Roles are Django groups with names built here, so that code, demo data and
the operator's guide agree. Wagtail grants page permissions to groups at a
point in the page tree, so each portal has its own group per role
("终审员·木垒": one installation can host several counties' portals without one
county's staff acting on another's) and each department sub-section its own
editor group (see ``zhengtong.portal.sections``).
"""

from django.utils.translation import gettext_lazy as _

SITE_ADMIN = "站点管理员"
PORTAL_EDITOR = "门户编辑"
REVIEWER = "初审员"
FINAL_REVIEWER = "终审员"

ROLE_DESCRIPTIONS = {
    SITE_ADMIN: _("管理站点、栏目、页脚信息与敏感词库，可直接发布。"),
    PORTAL_EDITOR: _("在县门户各栏目起草信息，不能发布。"),
    REVIEWER: _("初审本单位（县级初审员可审全部）提交的信息。"),
    FINAL_REVIEWER: _("终审后发布信息；审核部门报送到门户栏目的信息。"),
}


def portal_group_name(role: str, region_name: str) -> str:
    """Name of the group holding ``role`` on the portal of ``region_name`` (e.g. "终审员·木垒")."""
    return f"{role}·{region_name}"


def department_editor_group_name(short_name: str) -> str:
    return f"部门编辑·{short_name}"
