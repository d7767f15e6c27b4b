"""Platform set-up shared by a real installation and the demo: per-portal roles and the review workflow.

A new ``PortalHomePage`` gets both automatically (``signals.py``), so an
operator who creates a county's portal in the admin finds its role groups and
the two-step workflow ready; the functions are idempotent.
"""

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

# Page permissions of each role at its portal's home page.
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


def workflow_name(region_name: str) -> str:
    return f"{WORKFLOW_NAME}·{region_name}"


@transaction.atomic
def ensure_portal_roles(region_name: str) -> dict[str, Group]:
    """Create the role groups of one portal with their global permissions (idempotent)."""
    groups = {}
    access_admin = _perm("wagtailadmin", "access_admin")
    root_collection = Collection.get_first_root_node()
    for role in roles.ROLE_DESCRIPTIONS:
        group, _created = Group.objects.get_or_create(name=roles.portal_group_name(role, region_name))
        group.permissions.add(access_admin)
        if role in (roles.SITE_ADMIN, roles.PORTAL_EDITOR):
            for app_label, codename in MEDIA_PERMISSIONS:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=_perm(app_label, codename)
                )
        groups[role] = group
    for app_label, codename in SITE_ADMIN_PERMISSIONS:
        groups[roles.SITE_ADMIN].permissions.add(_perm(app_label, codename))
    return groups


@transaction.atomic
def ensure_review_workflow(home: Page) -> Workflow:
    """Give a portal its role groups, their page permissions and the workflow 初审 → 终审."""
    groups = ensure_portal_roles(home.region_name)
    for role, codenames in ROLE_PAGE_PERMISSIONS.items():
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=groups[role], page=home, permission=_perm("wagtailcore", codename)
            )
    workflow, created = Workflow.objects.get_or_create(name=workflow_name(home.region_name))
    if created:
        first = ReviewTask.objects.create(name=_("初审"), same_organisation=True)
        first.groups.set([groups[roles.REVIEWER]])
        final = ReviewTask.objects.create(name=_("终审"))
        final.groups.set([groups[roles.FINAL_REVIEWER]])
        WorkflowTask.objects.create(workflow=workflow, task=first, sort_order=0)
        WorkflowTask.objects.create(workflow=workflow, task=final, sort_order=1)
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return workflow


# The four sections of a county portal (GB/T 39218 / 政府网站发展指引: 信息公开、政民互动、网上办事 and the
# county's own 特色 section), created empty by ``create_portal``; editors add the columns.
def standard_sections(region_name: str) -> list[tuple[str, str]]:
    return [
        ("xxgk", _("信息公开")),
        ("zmhd", _("政民互动")),
        ("ts", _("特色%(region)s") % {"region": region_name}),
        ("wsbs", _("网上办事")),
    ]


def remove_welcome_site() -> None:
    """Wagtail's initial migration leaves a welcome page and a site on it; a portal replaces both."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Site

    plain_page = ContentType.objects.get_for_model(Page)
    welcome = Page.objects.filter(depth=2, slug="home", numchild=0, content_type=plain_page)
    Site.objects.filter(root_page__in=welcome).delete()
    for page in welcome:
        page.delete()


@transaction.atomic
def create_portal(
    *, title: str, region_name: str, organisation, hostname: str, port: int = 80, slug: str = "", owner=None
):
    """A county's portal in one step: home page, the four sections, the site, role groups and workflow.

    What an operator would otherwise do by hand at the root of the page tree, where none of the three
    administrators has rights (三员分立): run from the server by the operator, so no superuser is needed.
    Raises ``ValueError`` with a Chinese message when the host or the region name is taken.
    """
    from wagtail.models import Site

    from zhengtong.portal.models import PortalHomePage, SectionPage
    from zhengtong.portal.slugs import unique_slug

    if Site.objects.filter(hostname=hostname, port=port).exists():
        raise ValueError(_("已有站点使用 %(host)s:%(port)s。") % {"host": hostname, "port": port})
    if PortalHomePage.objects.filter(region_name=region_name).exists():
        raise ValueError(_("已有门户使用“%(region)s”作地区简称。") % {"region": region_name})
    remove_welcome_site()
    root = Page.get_first_root_node()
    taken = set(root.get_children().values_list("slug", flat=True))
    home = PortalHomePage(
        title=title,
        slug=unique_slug(slug or "portal", taken),
        organisation=organisation,
        region_name=region_name,
        owner=owner,
    )
    root.add_child(instance=home)
    home.save_revision(user=owner).publish(user=owner)
    for section_slug, section_title in standard_sections(region_name):
        section = SectionPage(title=section_title, slug=section_slug, show_in_menus=True, owner=owner)
        home.add_child(instance=section)
        section.save_revision(user=owner).publish(user=owner)
    Site.objects.create(
        hostname=hostname,
        port=port,
        root_page=home,
        site_name=title,
        is_default_site=not Site.objects.filter(is_default_site=True).exists(),
    )
    ensure_review_workflow(home)
    return home
