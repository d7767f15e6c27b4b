"""The search index: one document per searchable object, and its terms (an inverted index in plain tables).

Both databases use ordinary tables and B-tree indexes; no extension, so the
embedded SQLite install and PostgreSQL behave the same (ADR 0006).
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

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="one_document_per_object")]
        verbose_name = _("检索文档")
        verbose_name_plural = _("检索文档")

    def __str__(self) -> str:
        return self.title


class SearchPosting(models.Model):
    """One term of one document: the inverted index."""

    term = models.CharField(max_length=64)
    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="postings")
    in_title = models.BooleanField(default=False)
    frequency = models.PositiveIntegerField(default=1)

    class Meta:
        # (term, document) first: every query looks terms up and joins to their documents.
        constraints = [models.UniqueConstraint(fields=["term", "document"], name="one_posting_per_term")]

    def __str__(self) -> str:
        return f"{self.term} → {self.document_id}"
