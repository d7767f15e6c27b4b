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


# 三员分立 (GB/T 22239-2019 8.1.4.2 访问控制 / 8.1.10.2 集中管控: three administrators whose powers do
# not overlap). Platform-wide groups, not per portal; ``zhengtong.accounts.separation`` keeps one
# account from holding two of them.
SYSTEM_ADMIN = "系统管理员"
SECURITY_ADMIN = "安全管理员"
AUDIT_ADMIN = "审计管理员"
ADMINISTRATOR_ROLES = (SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN)

ROLE_DESCRIPTIONS.update(
    {
        SYSTEM_ADMIN: _("管理用户、单位、站点与系统配置；不能分配权限，不能查看审计记录。"),
        SECURITY_ADMIN: _("管理角色与权限、安全策略、解锁账号；不能管理用户资料与站点。"),
        AUDIT_ADMIN: _("查看和导出审计记录，不能做其他任何操作。"),
    }
)

# Case handling (办件): platform-wide groups whose permissions are set on every ``migrate``
# (``zhengtong.accounts.separation.sync_role_groups``). Which cases each sees is the organisation's
# business (``zhengtong.casework.access``): an office its own and its units' cases; the registering office
# the orders it dispatched; the supervisor all. None of them may go with a 三员 role: administrators do
# not handle business (GB/T 22239-2019 8.1.4.2 c) 最小权限).
CASE_REGISTRAR = "办件登记员"
CASE_HANDLER = "办件承办人"
REPLY_REVIEWER = "答复审核人"
CASE_SUPERVISOR = "督办员"
# 政府信息公开条例 第33条: the head of the disclosure office approves an extension of the reply period.
DISCLOSURE_HEAD = "信息公开负责人"
CASE_ROLES = (CASE_REGISTRAR, CASE_HANDLER, REPLY_REVIEWER, CASE_SUPERVISOR, DISCLOSURE_HEAD)
# Roles that may not be combined with a 三员 role (nor, among the 三员, with each other).
SEPARATED_ROLES = (*ADMINISTRATOR_ROLES, *CASE_ROLES)

_ADMIN = ("wagtailadmin", "access_admin")
_VIEW, _CHANGE, _ADD = (("zt_casework", f"{action}_case") for action in ("view", "change", "add"))
CASE_ROLE_PERMISSIONS = {
    CASE_REGISTRAR: [_ADMIN, _VIEW, _CHANGE, _ADD],
    CASE_HANDLER: [_ADMIN, _VIEW, _CHANGE],
    # Reviewers also choose which consented letters are published (政民互动 公开信件).
    REPLY_REVIEWER: [
        _ADMIN,
        _VIEW,
        _CHANGE,
        ("zt_casework", "review_case_reply"),
        ("zt_interaction", "publish_letter"),
    ],
    # change_case only to record 督办 and 催办: outside their own office supervisors cannot reply or transfer.
    CASE_SUPERVISOR: [_ADMIN, _VIEW, _CHANGE, ("zt_casework", "supervise_case")],
    DISCLOSURE_HEAD: [
        _ADMIN,
        _VIEW,
        _CHANGE,
        ("zt_casework", "review_case_reply"),
        ("zt_disclosure_requests", "approve_extension"),
        # The office's annual report (政府信息公开条例 第49、50条): edited and published by its head.
        ("zt_disclosure_report", "view_annualreport"),
        ("zt_disclosure_report", "add_annualreport"),
        ("zt_disclosure_report", "change_annualreport"),
        ("zt_disclosure_report", "publish_annualreport"),
    ],
}

ROLE_DESCRIPTIONS.update(
    {
        CASE_REGISTRAR: _("登记来电、来信、来访等办件（县长专线话务员）：受理、派单、回访、办结本单位登记的办件。"),
        CASE_HANDLER: _("办理本单位的办件：交办、答复、暂停与恢复计时、退回派错的工单。"),
        REPLY_REVIEWER: _("审核本单位拟写的答复，同意后答复发出或退回修改；选择来信人同意公开的来信公开。"),
        CASE_SUPERVISOR: _("查看所有单位的办件，对即将到期和超期的办件督办、催办；不能代替承办单位答复。"),
        DISCLOSURE_HEAD: _(
            "信息公开工作机构负责人：审核本单位政府信息公开申请的答复，批准延期答复（条例第三十三条），"
            "编写和发布本单位的政府信息公开工作年度报告。"
        ),
    }
)
