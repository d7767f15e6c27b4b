from django.contrib.auth.models import Group
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from wagtail.models import Workflow
from wagtail.signals import page_published

from zhengtong.core.models import Organisation
from zhengtong.core.roles import ROLE_DESCRIPTIONS, department_editor_group_name, portal_group_name
from zhengtong.portal.models import ArticlePage, DepartmentPage, PortalHomePage
from zhengtong.portal.sections import provision_department_editors
from zhengtong.portal.setup import ensure_review_workflow, workflow_name


@receiver(page_published)
def fill_publication_date(sender, instance, **kwargs):
    """Every item shows a publication date: default it to the first go-live time."""
    if isinstance(instance, ArticlePage) and instance.published_date is None:
        date = instance.first_published_at or instance.last_published_at
        ArticlePage.objects.filter(pk=instance.pk).update(published_date=date)
        instance.published_date = date


@receiver(post_save, sender=PortalHomePage)
def give_portal_its_roles_and_workflow(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_review_workflow(instance)


@receiver(post_save, sender=DepartmentPage)
def give_department_its_editors(sender, instance, created, raw=False, **kwargs):
    if not raw:
        provision_department_editors(instance)


@receiver(pre_save, sender=Organisation)
def rename_editor_group_with_its_organisation(sender, instance, raw=False, **kwargs):
    """Editor groups are named after the short name; keep the group (and its permissions) when it changes."""
    if raw or instance.pk is None:
        return
    old = Organisation.objects.filter(pk=instance.pk).values_list("short_name", flat=True).first()
    if old and old != instance.short_name:
        Group.objects.filter(name=department_editor_group_name(old)).update(
            name=department_editor_group_name(instance.short_name)
        )


@receiver(pre_save, sender=PortalHomePage)
def rename_portal_roles_with_its_region(sender, instance, raw=False, update_fields=None, **kwargs):
    """Portal role groups and the workflow carry the region name; follow a change of it."""
    if raw or instance.pk is None or (update_fields is not None and "region_name" not in update_fields):
        return  # saving a draft revision writes other fields only; the region changes when published
    old = PortalHomePage.objects.filter(pk=instance.pk).values_list("region_name", flat=True).first()
    if old and old != instance.region_name:
        for role in ROLE_DESCRIPTIONS:
            Group.objects.filter(name=portal_group_name(role, old)).update(
                name=portal_group_name(role, instance.region_name)
            )
        Workflow.objects.filter(name=workflow_name(old)).update(name=workflow_name(instance.region_name))
