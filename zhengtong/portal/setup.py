"""Platform set-up shared by a real installation and the demo: roles and the review workflow."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from zhengtong.core import roles
from zhengtong.portal.models import ReviewTask

WORKFLOW_NAME = "两审发布"

# Page permissions of each role at a portal's home page.
ROLE_PAGE_PERMISSIONS = {
    roles.SITE_ADMIN: ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"],
    roles.PORTAL_EDITOR: ["add_page", "change_page"],
    roles.REVIEWER: [],
    # Approving the last step publishes the page, which Wagtail checks against the approver.
    roles.FINAL_REVIEWER: ["publish_page"],
}
MEDIA_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]
SITE_ADMIN_PERMISSIONS = [
    ("portal", "change_footersettings"),
    ("portal", "add_wordingrule"),
    ("portal", "change_wordingrule"),
    ("portal", "delete_wordingrule"),
    ("core", "add_organisation"),
    ("core", "change_organisation"),
    ("wagtailimages", "change_image"),
    ("wagtaildocs", "change_document"),
]


def _perm(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def ensure_roles() -> dict[str, Group]:
    """Create the role groups with their global permissions (idempotent)."""
    groups = {}
    access_admin = _perm("wagtailadmin", "access_admin")
    root_collection = Collection.get_first_root_node()
    for name in roles.ROLE_DESCRIPTIONS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        if name in (roles.SITE_ADMIN, roles.PORTAL_EDITOR):
            for app_label, codename in MEDIA_PERMISSIONS:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=_perm(app_label, codename)
                )
        groups[name] = group
    for app_label, codename in SITE_ADMIN_PERMISSIONS:
        groups[roles.SITE_ADMIN].permissions.add(_perm(app_label, codename))
    return groups


@transaction.atomic
def ensure_review_workflow(home: Page) -> Workflow:
    """Give a portal its role page permissions and the two-step review workflow (初审 → 终审)."""
    groups = ensure_roles()
    for name, codenames in ROLE_PAGE_PERMISSIONS.items():
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=groups[name], page=home, permission=_perm("wagtailcore", codename)
            )
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if created:
        first = ReviewTask.objects.create(name=_("初审"), same_organisation=True)
        first.groups.set([groups[roles.REVIEWER]])
        final = ReviewTask.objects.create(name=_("终审"))
        final.groups.set([groups[roles.FINAL_REVIEWER]])
        WorkflowTask.objects.create(workflow=workflow, task=first, sort_order=0)
        WorkflowTask.objects.create(workflow=workflow, task=final, sort_order=1)
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return workflow
