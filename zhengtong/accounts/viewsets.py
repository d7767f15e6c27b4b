"""Wagtail's user and group admin with the role rules (三员分立) on top of core's staff fields."""

from django.contrib import messages
from django.contrib.auth.models import Group
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.users.views.groups import DeleteView as GroupDeleteViewBase
from wagtail.users.views.groups import EditView as GroupEditViewBase
from wagtail.users.views.groups import GroupViewSet as WagtailGroupViewSet
from wagtail.users.views.users import CreateView, EditView

from zhengtong.accounts.forms import AccountsCreationForm, AccountsEditForm
from zhengtong.audit.services import record
from zhengtong.core import roles
from zhengtong.core.viewsets import UserViewSet as StaffUserViewSet


class RequestUserFormMixin:
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["request_user"] = self.request.user
        return kwargs


class AccountsCreateView(RequestUserFormMixin, CreateView):
    pass


class AccountsEditView(RequestUserFormMixin, EditView):
    pass


class UserViewSet(StaffUserViewSet):
    add_view_class = AccountsCreateView
    edit_view_class = AccountsEditView

    def get_form_class(self, for_update=False):
        return AccountsEditForm if for_update else AccountsCreationForm


# --- Groups: the platform's fixed roles (三员, case handling) cannot be changed here ---------------------------


def _is_fixed_role(group) -> bool:
    # The 三员 and the case-handling roles: their permissions are put back at every upgrade (separation.py).
    return group is not None and group.name in roles.SEPARATED_ROLES


def _refuse_role_group_change(request, group, what: str):
    # GB/T 22239-2019 8.1.4.2 c): the three roles' least privileges are the platform's, not an administrator's
    # choice; an administrator who could widen them would undo the separation.
    record("role.refuse", actor=request.user, obj=group, result="denied", detail={"group_change": what})
    messages.error(
        request,
        _("“%(group)s”是平台固定角色，权限由平台设定（三员分立、办件分工），不能修改或删除；升级时也会恢复。")
        % {"group": group.name},
    )
    return redirect("wagtailusers_groups:index")


class GroupEditView(GroupEditViewBase):
    def dispatch(self, request, *args, **kwargs):
        group = Group.objects.filter(pk=kwargs.get("pk")).first()
        if _is_fixed_role(group):
            if request.method == "POST":
                return _refuse_role_group_change(request, group, "edit")
            messages.warning(
                request, _("“%(group)s”是平台固定角色，权限由平台设定，这里只能查看。") % {"group": group.name}
            )
        return super().dispatch(request, *args, **kwargs)


class GroupDeleteView(GroupDeleteViewBase):
    def dispatch(self, request, *args, **kwargs):
        group = Group.objects.filter(pk=kwargs.get("pk")).first()
        if _is_fixed_role(group):
            return _refuse_role_group_change(request, group, "delete")
        return super().dispatch(request, *args, **kwargs)


class GroupViewSet(WagtailGroupViewSet):
    edit_view_class = GroupEditView
    delete_view_class = GroupDeleteView
