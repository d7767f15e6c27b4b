from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengtong.disclosure_report import tables
from zhengtong.disclosure_report.models import AnnualReport

REVIEW_FIELDS = [f"{group}_{result}" for group in tables.REVIEW_GROUPS for result in tables.REVIEW_RESULTS]


class PickForm(forms.Form):
    """Which organisation's report for which year."""

    organisation = forms.ModelChoiceField(label=_("机关"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("年度"), min_value=2008)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["year"].initial = timezone.localdate().year - 1

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("不能为尚未开始的年度编写年度报告。"))
        return year


class AnnualReportForm(forms.ModelForm):
    """The office's part of the report: sections 一, 五, 六 and the entered figures of tables 二 and 四."""

    class Meta:
        model = AnnualReport
        fields = ["overview", *tables.TABLE_TWO_FIELDS, *REVIEW_FIELDS, "problems", "other_matters"]
        widgets = {
            "overview": forms.Textarea(attrs={"rows": 8}),
            "problems": forms.Textarea(attrs={"rows": 6}),
            "other_matters": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"overview": _("每段一行。"), "fee_amount": _("单位：万元，最多四位小数。")}

    def table_two_fields(self):
        return [self[name] for name in tables.TABLE_TWO_FIELDS]

    def review_fields(self):
        return [self[name] for name in REVIEW_FIELDS]


class UnpublishForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=200)
