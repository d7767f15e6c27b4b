from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm
from wagtail.models import Page

from zhengtong.search.engines import engine
from zhengtong.search.models import SearchDocument
from zhengtong.search.pages import update_pages

BATCH = 500


class Command(BaseCommand):
    help = "Rebuild the search index of every page. Safe to interrupt and run again."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (for logs and cron).")
        parser.add_argument(
            "--if-empty", action="store_true", help="Only when pages are live and the index is empty (upgrades)."
        )

    def handle(self, *args, **options):
        pages = Page.objects.filter(depth__gt=1).order_by("path")
        if options["if_empty"] and (SearchDocument.objects.exists() or not pages.filter(live=True).exists()):
            return
        searchable = 0
        with tqdm(total=pages.count(), unit="页", disable=options["no_progress"], file=self.stderr) as bar:
            batch = []
            for page in pages.specific().iterator(chunk_size=BATCH):
                batch.append(page)
                if len(batch) == BATCH:
                    searchable += update_pages(batch)
                    bar.update(len(batch))
                    batch = []
            searchable += update_pages(batch)
            bar.update(len(batch))
        # Documents whose page no longer exists (deleted while the worker was down).
        existing = {str(pk) for pk in Page.objects.values_list("pk", flat=True)}
        page_documents = SearchDocument.objects.filter(content_type=ContentType.objects.get_for_model(Page))
        stale = [d.pk for d in page_documents.only("object_id") if d.object_id not in existing]
        SearchDocument.objects.filter(pk__in=stale).delete()
        engine().optimize()
        self.stdout.write(_("检索索引已重建：%(n)s 个页面可检索。") % {"n": searchable})
