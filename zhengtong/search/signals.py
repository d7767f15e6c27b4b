"""Keep the search index in step with publishing: every change goes through the worker."""

from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from zhengtong.core.tasks import enqueue_with_transaction
from zhengtong.search.engines import engine, sweep_orphans
from zhengtong.search.index import row_of
from zhengtong.search.models import SearchDocument
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


@receiver(pre_delete, sender=SearchDocument)
def document_deleted(sender, instance, **kwargs):
    # Every way a document goes (queryset delete, a cascade from its site) passes here, so the
    # full-text row goes with it; a contentless FTS5 row can only be removed with its tokens.
    if instance.rank_key is not None:
        engine().write([], [row_of(instance)])


@receiver(post_migrate)
def sweep_fulltext(sender, using="default", **kwargs):
    # ``flush`` (tests, ``manage.py flush``) empties the documents table behind the index's back,
    # then sends post_migrate: rows left without a document are swept here.
    if sender.label == "zt_search":
        sweep_orphans(using)
