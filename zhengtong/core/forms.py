from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.users.forms import UserCreationForm, UserEditForm

STAFF_FIELDS = ("organisation", "phone")


class StaffCreationForm(UserCreationForm):
    organisation = forms.ModelChoiceField(queryset=None, label=_("所属机构"), required=False)
    phone = forms.CharField(label=_("办公电话"), max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        from zhengtong.core.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)

    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(STAFF_FIELDS)


class StaffEditForm(UserEditForm):
    organisation = forms.ModelChoiceField(queryset=None, label=_("所属机构"), required=False)
    phone = forms.CharField(label=_("办公电话"), max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        from zhengtong.core.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.all()

    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(STAFF_FIELDS)


class CalendarYearForm(WagtailAdminModelForm):
    """A year's schedule with its days; each day must lie in that year.

    The check lives here because the inline days are validated before they are attached to the
    (possibly unsaved) year.
    """

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        days = self.formsets.get("days")
        if year and days is not None and days.is_valid():
            for form in days.forms:
                day = form.cleaned_data.get("date")
                if day and not form.cleaned_data.get("DELETE") and day.year != year:
                    form.add_error("date", _("日期不在 %(year)s 年内。") % {"year": year})
                    self.add_error(None, _("有日期不在 %(year)s 年内，请改正标红的日期。") % {"year": year})
        return cleaned
