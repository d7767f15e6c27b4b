"""Staff's own notices (站内通知) and the operator's record of everything sent (发送记录, the SMS outbox)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.auth import require_admin_access

from zhengtong.notifications.backends import get_sms_backend, sms_backend_path
from zhengtong.notifications.models import Message

PAGE_SIZE = 50


def _inbox(user):
    return Message.objects.filter(user=user, channel=Message.Channel.INBOX)


@require_admin_access
def inbox(request):
    notices = _inbox(request.user).select_related("case")
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "notifications/admin/inbox.html",
        {"page": page, "unread": _inbox(request.user).filter(read_at__isnull=True).count()},
    )


@require_admin_access
def open_notice(request, pk: int):
    """Mark a notice read and go to its case (or back to the list)."""
    notice = get_object_or_404(_inbox(request.user), pk=pk)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    if notice.case_id:
        return redirect("casework_detail", pk=notice.case_id)
    return redirect("notifications_inbox")


@require_admin_access
@require_POST
def mark_all_read(request):
    count = _inbox(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": count})
    return redirect("notifications_inbox")


@require_admin_access
def outbox(request):
    """Every stored message, newest first, recipients masked; what the outbox SMS backend "sent" is here."""
    if not request.user.has_perm("zt_notifications.view_message"):
        raise PermissionDenied
    sent = Message.objects.exclude(channel=Message.Channel.INBOX).select_related("case", "user")
    channel = request.GET.get("channel", "")
    status = request.GET.get("status", "")
    if channel in Message.Channel.values:
        sent = sent.filter(channel=channel)
    if status in Message.Status.values:
        sent = sent.filter(status=status)
    page = Paginator(sent, PAGE_SIZE).get_page(request.GET.get("p"))
    try:
        sms_outbox = get_sms_backend().outbox_only
    except Exception:
        sms_outbox = False
    return TemplateResponse(
        request,
        "notifications/admin/outbox.html",
        {
            "page": page,
            "channel": channel,
            "status": status,
            "channels": [c for c in Message.Channel.choices if c[0] != Message.Channel.INBOX],
            "statuses": Message.Status.choices,
            "sms_outbox": sms_outbox,
            "sms_backend": sms_backend_path(),
            "query": f"channel={channel}&status={status}",
            "inbox_url": reverse("notifications_inbox"),
        },
    )
