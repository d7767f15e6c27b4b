"""Who owns which part of a portal: organisations, sub-sections and editor groups.

A department or township has one sub-section (``DepartmentPage``) of the
county portal. Its editors are a group with page permissions at that page,
so Wagtail itself keeps them inside the subtree. Reviewers are scoped by the
organisation they belong to, resolved here.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from zhengtong.core.models import Organisation
from zhengtong.core.roles import department_editor_group_name

# Editors draft and change; publishing is left to the review workflow.
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
EDITOR_MEDIA_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]


def organisation_for_page(page: Page) -> Organisation | None:
    """The organisation owning ``page``: its nearest department section, else its portal."""
    from zhengtong.portal.models import DepartmentPage, PortalHomePage

    ancestors = Page.objects.ancestor_of(page, inclusive=True).order_by("-depth")
    section = (
        DepartmentPage.objects.filter(pk__in=ancestors.values("pk"))
        .order_by("-depth")
        .select_related("organisation")
        .first()
    )
    if section:
        return section.organisation
    home = PortalHomePage.objects.filter(pk__in=ancestors.values("pk")).select_related("organisation").first()
    return home.organisation if home else None


def organisations_below(organisation: Organisation) -> list[Organisation]:
    """``organisation`` and every organisation under it."""
    by_parent: dict[int | None, list[Organisation]] = {}
    for org in Organisation.objects.all():
        by_parent.setdefault(org.parent_id, []).append(org)
    found, todo = [], [organisation]
    while todo:
        org = todo.pop()
        found.append(org)
        todo.extend(by_parent.get(org.pk, []))
    return found


def user_can_review_page(user, page: Page) -> bool:
    """A reviewer may review pages of their own organisation or of one below it."""
    if user.organisation is None:
        return False
    return user.organisation.is_ancestor_of(organisation_for_page(page))


def review_root_paths(user) -> list[str]:
    """Tree paths of the portals and sub-sections owned by the user's organisation or those below it."""
    from zhengtong.portal.models import DepartmentPage, PortalHomePage

    if user.organisation is None:
        return []
    orgs = organisations_below(user.organisation)
    roots = list(PortalHomePage.objects.filter(organisation__in=orgs).values_list("path", flat=True))
    roots += list(DepartmentPage.objects.filter(organisation__in=orgs).values_list("path", flat=True))
    return roots


def provision_department_editors(section: Page) -> Group:
    """Create (or repair) the editor group of a department sub-section.

    Idempotent: safe to call on every save of the section page.
    """
    group, _ = Group.objects.get_or_create(name=department_editor_group_name(section.organisation.short_name))
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=section,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    root_collection = Collection.get_first_root_node()
    for app_label, codename in EDITOR_MEDIA_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=root_collection,
            permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
        )
    return group
