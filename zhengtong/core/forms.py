from django import forms
from django.utils.translation import gettext_lazy as _
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
