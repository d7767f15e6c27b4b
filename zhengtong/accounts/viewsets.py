"""Wagtail's user admin with the role rules (三员分立) on top of core's staff fields."""

from wagtail.users.views.users import CreateView, EditView

from zhengtong.accounts.forms import AccountsCreationForm, AccountsEditForm
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
