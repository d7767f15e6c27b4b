from wagtail import hooks
from wagtail.permissions import register_permission_policy

from zhengtong.audit.models import AuditRecord
from zhengtong.audit.views import AuditRecordViewSet, ViewOnlyPolicy

register_permission_policy(AuditRecord, ViewOnlyPolicy(AuditRecord), exact_class=True)


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditRecordViewSet("audit")
