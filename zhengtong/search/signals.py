"""Keep the search index in step with publishing: every change goes through the worker."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from zhengtong.core.tasks import enqueue_with_transaction
from zhengtong.search.tasks import forget_page, update_page_search


def _queue(page_ids) -> None:
    for page_id in page_ids:
        enqueue_with_transaction(update_page_search, page_id)


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    _queue([instance.pk])


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    # Every page below a moved page has a new address.
    _queue(Page.objects.descendant_of(instance, inclusive=True).live().values_list("pk", flat=True))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def privacy_changed(sender, instance, **kwargs):
    _queue(Page.objects.descendant_of(instance.page, inclusive=True).live().values_list("pk", flat=True))


@receiver(post_delete, sender=Page)
def page_deleted(sender, instance, **kwargs):
    forget_page(instance.pk)
