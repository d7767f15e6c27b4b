"""The search index: one document per searchable object; its tokens live in the full-text table.

The full-text table (SQLite FTS5 or a PostgreSQL tsvector table, created by the
migrations, written only through ``engines.py``) is keyed by ``rank_key``.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """What search knows of one public object (a page now; disclosure items, service guides later)."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    url = models.CharField(max_length=500)
    title = models.CharField(max_length=500)
    kind = models.CharField(_("类型"), max_length=50, db_index=True)
    # Tree path of the page (treebeard), so a section filter is a prefix match; blank for non-pages.
    path = models.CharField(max_length=255, blank=True, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    source_id = models.CharField(max_length=100, blank=True)
    text = models.TextField(help_text="Plain text as shown, for snippets.")
    title_norm = models.TextField()
    text_norm = models.TextField()
    # Publication time, then the id: the full-text row's key, so "newest first" is index order.
    # Null only between a document's insert and the update that gives it its key.
    rank_key = models.BigIntegerField(null=True, unique=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="one_document_per_object")]
        verbose_name = _("检索文档")
        verbose_name_plural = _("检索文档")

    def __str__(self) -> str:
        return self.title
