"""Forms of the security pages and the role rules in Wagtail's user forms."""

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from zhengtong.accounts.separation import conflict_message, conflicting_roles
from zhengtong.audit.services import record
from zhengtong.core.forms import StaffCreationForm, StaffEditForm


def can_assign_roles(user) -> bool:
    """Role assignment is the security administrator's (三员分立); a superuser (break-glass) may too."""
    return bool(user) and (user.is_superuser or user.has_perm("zt_accounts.assign_roles"))


def check_role_separation(form: forms.Form, user, field: str = "groups") -> None:
    """Add the Chinese refusal to ``field`` when the chosen groups include two administrator roles."""
    chosen = form.cleaned_data.get(field)
    if chosen is None:
        return
    names = conflicting_roles([], [g.name for g in chosen])
    if names:
        form.add_error(field, conflict_message(names))
        record(
            "role.refuse",
            obj=user if user is not None and user.pk else None,
            result="denied",
            detail={"roles": sorted(names), "via": "form"},
        )


class RoleRulesMixin:
    """Wagtail's user create/edit form with the account rules of 三员分立.

    - groups: chosen only by who may assign roles (the security administrator); for the system administrator
      the field is shown read-only;
    - two administrator roles on one account: refused with a form error;
    - the superuser checkbox: only for a superuser, and never in production (break-glass only).
    """

    def __init__(self, *args, request_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_user = request_user
        if "groups" in self.fields and request_user is not None and not can_assign_roles(request_user):
            self.fields["groups"].disabled = True
            self.fields["groups"].help_text = _("角色（用户组）由安全管理员分配。")
        if "is_superuser" in self.fields and (
            settings.PRODUCTION or request_user is None or not request_user.is_superuser
        ):
            del self.fields["is_superuser"]

    def clean(self):
        cleaned = super().clean()
        check_role_separation(self, self.instance)
        return cleaned


class AccountsCreationForm(RoleRulesMixin, StaffCreationForm):
    pass


class AccountsEditForm(RoleRulesMixin, StaffEditForm):
    pass


class RolesForm(forms.Form):
    """The security administrator's form: only the groups of one user, nothing of the profile."""

    groups = forms.ModelMultipleChoiceField(
        queryset=Group.objects.order_by("name"), required=False, widget=forms.CheckboxSelectMultiple, label=_("角色")
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        check_role_separation(self, self.user)
        return cleaned
