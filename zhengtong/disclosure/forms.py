from django import forms
from django.utils.translation import gettext as _

from zhengtong.portal.forms import ArticleAdminPageForm


class DisclosureItemForm(ArticleAdminPageForm):
    """The item editor: categories from the owning organisation's catalog only, active topics only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from zhengtong.disclosure.catalog import catalog_for, subject_topics

        organisation = self._organisation()
        if "category" in self.fields:
            current = self.instance.category_id if self.instance.pk else None
            if organisation is None:
                self.fields["category"].queryset = self.fields["category"].queryset.none()
            else:
                categories = catalog_for(organisation)
                # A deactivated category stays selectable on the items already in it, and on no others.
                self.fields["category"].queryset = categories.filter(is_active=True) | categories.filter(pk=current)
        if "topic" in self.fields:
            current = self.instance.topic_id if self.instance.pk else None
            topics = subject_topics()
            self.fields["topic"].queryset = topics.filter(is_active=True) | topics.filter(pk=current)

    def _organisation(self):
        if self.instance.organisation_id:
            return self.instance.organisation
        parent = getattr(self, "parent_page", None)
        return getattr(parent.specific, "organisation", None) if parent is not None else None

    def clean(self):
        cleaned = super().clean()
        validity, changed = cleaned.get("validity"), cleaned.get("validity_changed_on")
        if validity and validity != "valid" and not changed:
            self.add_error("validity_changed_on", _("信息已废止或失效时，请填写废止或失效日期。"))
        return cleaned


class CatalogFilterForm(forms.Form):
    """The public catalog's filters (GET): category and year; bad values fall back to everything."""

    category = forms.CharField(required=False, max_length=10)
    year = forms.IntegerField(required=False, min_value=1990, max_value=2100)
