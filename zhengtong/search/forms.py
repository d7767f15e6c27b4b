from django import forms
from django.utils.translation import gettext_lazy as _

MAX_QUERY = 100


class SearchForm(forms.Form):
    """The public search form; every field optional except the words, all validated with Chinese messages."""

    q = forms.CharField(label=_("搜索"), max_length=MAX_QUERY, required=False, strip=True)
    section = forms.TypedChoiceField(label=_("栏目"), required=False, coerce=int, empty_value=None)
    type = forms.ChoiceField(label=_("类型"), required=False)
    date_from = forms.DateField(label=_("起始日期"), required=False)
    date_to = forms.DateField(label=_("截止日期"), required=False)

    def __init__(self, *args, sections=(), kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("全部栏目")), *[(s.pk, s.title) for s in sections]]
        self.fields["type"].choices = [("", _("全部类型")), *[(k, k) for k in kinds]]
        self.fields["q"].error_messages["max_length"] = _("搜索词太长了，请不超过 %(limit)s 个字。") % {
            "limit": MAX_QUERY
        }
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = _("日期格式应为 2015-03-05 这样的年-月-日。")
            self.fields[name].widget.input_type = "date"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return cleaned
