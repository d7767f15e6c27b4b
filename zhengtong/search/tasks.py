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
    return update_page(page)


def forget_page(page_id: int) -> None:
    from django.contrib.contenttypes.models import ContentType

    SearchDocument.objects.filter(content_type=ContentType.objects.get_for_model(Page), object_id=str(page_id)).delete()
