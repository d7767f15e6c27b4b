from django import forms
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm

# Buttons of the page editor that send an item towards the public.
SUBMITTING_ACTIONS = ("action-submit", "action-publish", "action-restart-workflow")


class ArticleAdminPageForm(WagtailAdminPageForm):
    """Page form that runs the wording check when the editor submits or publishes."""

    def clean(self):
        cleaned = super().clean()
        if any(self.data.get(name) for name in SUBMITTING_ACTIONS):
            self.check_wording(cleaned)
        return cleaned

    def check_wording(self, cleaned) -> None:
        from zhengtong.portal.wording import find_hits

        fields = {"title": cleaned.get("title", ""), "summary": cleaned.get("summary", "")}
        if "body" in self.fields:
            fields["body"] = strip_tags(cleaned.get("body") or "")
        labels = {name: str(self.fields[name].label) for name in fields if name in self.fields}
        hits = find_hits({labels.get(name, name): text for name, text in fields.items()})
        by_label = {label: name for name, label in labels.items()}
        for hit in hits:
            if hit.action == "block":
                self.add_error(
                    by_label.get(hit.field),
                    _("不能提交：%(hit)s。请修改后再提交。") % {"hit": hit.describe()},
                )


class AcknowledgeWordingForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("我已逐条核实上述表述提示，确认可以发布"),
        required=True,
        error_messages={"required": gettext_lazy("请先核实表述提示并勾选确认。")},
    )


class SubmissionForm(forms.Form):
    """A department editor offers an item to a portal column (报送)."""

    column = forms.ModelChoiceField(queryset=None, label=gettext_lazy("报送到栏目"), empty_label=None)
    note = forms.CharField(label=gettext_lazy("报送说明"), max_length=200, required=False)

    def __init__(self, *args, columns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = columns


class RejectSubmissionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("未采用原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": gettext_lazy("请填写未采用的原因，报送人会看到。")},
    )
