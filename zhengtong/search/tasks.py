from django_tasks import task
from wagtail.models import Page

from zhengtong.search.models import SearchDocument


@task()
def update_page_search(page_id: int) -> bool:
    """Index the page as it is now (or forget it). Reads current state, so running twice or late is harmless."""
    from zhengtong.search.pages import update_page

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        forget_page(page_id)
        return False
    searchable = update_page(page)
    if _pages_below_have_old_addresses(page):
        # A section's or column's address changed (new slug): the pages below it moved with it.
        from zhengtong.core.tasks import enqueue_with_transaction

        for child_id in Page.objects.descendant_of(page).live().values_list("pk", flat=True):
            enqueue_with_transaction(update_page_search, child_id)
    return searchable


def _pages_below_have_old_addresses(page: Page) -> bool:
    below = SearchDocument.objects.filter(path__startswith=page.path).exclude(path=page.path).first()
    url = page.get_url()
    return below is not None and url is not None and not below.url.startswith(url)


def forget_page(page_id: int) -> None:
    from django.contrib.contenttypes.models import ContentType

    SearchDocument.objects.filter(content_type=ContentType.objects.get_for_model(Page), object_id=str(page_id)).delete()
