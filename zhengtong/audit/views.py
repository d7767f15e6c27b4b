"""The audit administrator's screen: a read-only list with filters, CSV export and the chain status."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy

from zhengtong.audit.models import AuditRecord
from zhengtong.audit.services import record
from zhengtong.audit.verify import verify_chain

# The screen re-verifies only the newest records so it stays fast on a long chain; ./zt audit verify
# checks the whole chain.
STATUS_RECORDS = 2000


class ViewOnlyPolicy(ModelPermissionPolicy):
    """Viewing needs ``zt_audit.view_auditrecord``; adding, changing and deleting are refused to everyone,
    the superuser included (GB/T 22239-2019 安全审计: records protected against change and deletion)."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and self.user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(["view"]) if "view" in actions else self.model._default_manager.none()


class AuditIndexView(IndexView):
    template_name = "zt_audit/index.html"
    export_formats = ["csv"]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("object_type")

    @cached_property
    def chain_status(self):
        return verify_chain(last=STATUS_RECORDS)

    @property
    def xlsx_export_url(self):  # only CSV: no spreadsheet library is installed
        return None

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # An export is itself an audited event: who took which records out, with the filters used.
        filters = {k: v for k, v in self.request.GET.items() if k != "export"}
        record(
            "audit.export",
            request=self.request,
            detail={"format": spreadsheet_format, "filters": filters, "count": queryset.count()},
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)


class AuditRecordViewSet(ModelViewSet):
    model = AuditRecord
    icon = "list-ul"
    menu_label = _("审计记录")
    menu_order = 900
    add_to_admin_menu = True
    index_view_class = AuditIndexView
    form_fields = []  # no create or edit view is reachable (ViewOnlyPolicy); Wagtail still asks
    inspect_view_enabled = True
    list_display = ["sequence", "time", "actor_name", "source_address", "action", "object_repr", "result", "detail"]
    list_filter = {
        "actor_name": ["exact"],
        "action": ["exact", "startswith"],
        "object_type": ["exact"],
        "result": ["exact"],
        "time": ["gte", "lte"],
    }
    list_export = [
        "sequence",
        "time",
        "actor_name",
        "organisation_id",
        "source_address",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "result",
        "detail",
        "mac",
    ]
    export_filename = "audit-records"
    inspect_view_fields = [
        "sequence",
        "time",
        "actor_name",
        "organisation",
        "source_address",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "result",
        "detail",
        "prev_mac",
        "mac",
    ]
    search_fields = None
    ordering = ["-sequence"]
