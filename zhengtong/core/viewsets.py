from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from zhengtong.core.forms import StaffCreationForm, StaffEditForm


class UserViewSet(WagtailUserViewSet):
    """Wagtail's user admin with the staff member's organisation."""

    def get_form_class(self, for_update=False):
        return StaffEditForm if for_update else StaffCreationForm
