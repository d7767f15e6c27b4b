"""The platform's role groups.

Roles are Django groups with fixed names so that code, demo data and the
operator's guide agree. Department editors get one group per organisation
(see ``zhengtong.portal.sections``) because Wagtail grants page permissions
to groups at a point in the page tree.
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


def department_editor_group_name(short_name: str) -> str:
    return f"部门编辑·{short_name}"
