"""Submission (报送) of department items to the county portal's columns.

The department keeps the original; an accepted submission appears in the
portal column as a Wagtail alias, which follows every later publication of
the original and links back to it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.actions.create_alias import CreatePageAliasAction
from wagtail.models import Page

from zhengtong.core.roles import FINAL_REVIEWER, portal_group_name
from zhengtong.portal.models import ArticlePage, ColumnPage, ColumnSubmission, DepartmentPage, PortalHomePage
from zhengtong.portal.slugs import unique_slug


def portal_columns_for(page: Page):
    """Columns of the page's portal that belong to the portal itself, not to a department."""
    home = portal_of(page)
    if home is None:
        return ColumnPage.objects.none()
    columns = ColumnPage.objects.descendant_of(home)
    for section in DepartmentPage.objects.descendant_of(home):
        columns = columns.exclude(path__startswith=section.path)
    return columns.order_by("path")


def portal_of(page: Page) -> PortalHomePage | None:
    return PortalHomePage.objects.ancestor_of(page, inclusive=True).first()


def can_decide(user, column: ColumnPage) -> bool:
    """The final reviewers of the column's portal accept or reject what is offered to it."""
    if user.is_superuser:
        return True
    home = portal_of(column)
    return home is not None and user.groups.filter(name=portal_group_name(FINAL_REVIEWER, home.region_name)).exists()


def pending_for(user):
    """Pending submissions to the portals where ``user`` is a final reviewer."""
    pending = ColumnSubmission.objects.filter(status=ColumnSubmission.Status.PENDING)
    if user.is_superuser:
        return pending
    names = set(user.groups.values_list("name", flat=True))
    homes = [h for h in PortalHomePage.objects.all() if portal_group_name(FINAL_REVIEWER, h.region_name) in names]
    if not homes:
        return ColumnSubmission.objects.none()
    condition = Q()
    for home in homes:
        condition |= Q(column__path__startswith=home.path)
    return pending.filter(condition)


def submit(page: ArticlePage, column: ColumnPage, user, note: str = "") -> ColumnSubmission:
    if not page.permissions_for_user(user).can_edit():
        raise PermissionDenied
    if not DepartmentPage.objects.ancestor_of(page).exists():
        raise ValidationError(_("只有部门或乡镇子站的信息需要报送；门户栏目的信息请直接在栏目中发布。"))
    if not page.live:
        raise ValidationError(_("这条信息还没有发布。请先在本单位栏目审核发布，再报送到门户。"))
    if not portal_columns_for(page).filter(pk=column.pk).exists():
        raise ValidationError(_("只能报送到本门户的栏目。"))
    if ColumnSubmission.objects.filter(
        page=page, column=column, status__in=[ColumnSubmission.Status.PENDING, ColumnSubmission.Status.ACCEPTED]
    ).exists():
        raise ValidationError(_("这条信息已经报送到该栏目，请勿重复报送。"))
    return ColumnSubmission.objects.create(page=page, column=column, submitted_by=user, note=note)


@transaction.atomic
def accept(submission: ColumnSubmission, user) -> ColumnSubmission:
    if not can_decide(user, submission.column):
        raise PermissionDenied
    if submission.status != ColumnSubmission.Status.PENDING:
        raise ValidationError(_("这条报送已经处理过了。"))
    original = submission.page
    # The decision was authorised above (final reviewers may accept into any column);
    # Wagtail's own check would demand page-creation rights in the column.
    alias = CreatePageAliasAction(
        original,
        parent=submission.column,
        update_slug=unique_slug(original.slug, set(submission.column.get_children().values_list("slug", flat=True))),
        user=user,
    ).execute(skip_permission_checks=True)
    submission.status = ColumnSubmission.Status.ACCEPTED
    submission.alias = alias
    submission.decided_by = user
    submission.decided_at = timezone.now()
    submission.save()
    return submission


def reject(submission: ColumnSubmission, user, reason: str) -> ColumnSubmission:
    if not can_decide(user, submission.column):
        raise PermissionDenied
    if submission.status != ColumnSubmission.Status.PENDING:
        raise ValidationError(_("这条报送已经处理过了。"))
    if not reason.strip():
        raise ValidationError(_("请填写未采用的原因，报送人会看到。"))
    submission.status = ColumnSubmission.Status.REJECTED
    submission.reason = reason.strip()
    submission.decided_by = user
    submission.decided_at = timezone.now()
    submission.save()
    return submission


def withdraw(submission: ColumnSubmission, user) -> ColumnSubmission:
    if submission.submitted_by_id != user.pk:
        raise PermissionDenied
    if submission.status != ColumnSubmission.Status.PENDING:
        raise ValidationError(_("只能撤回待审核的报送。"))
    submission.status = ColumnSubmission.Status.WITHDRAWN
    submission.save()
    return submission
