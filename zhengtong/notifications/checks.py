"""``./zt check``: whether notifications really leave the server (ids 830-839, section 通知)."""

from datetime import timedelta

from django.conf import settings
from django.core.checks import Info, Warning, register
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.notifications.backends import get_sms_backend, sms_backend_path

# Email backends that keep mail on the server (console, memory, files) or drop it.
LOCAL_EMAIL_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
)


@register("zhengtong", deploy=True)
def check_notification_channels(app_configs=None, **kwargs) -> list:
    messages = []
    if settings.PRODUCTION and settings.EMAIL_BACKEND in LOCAL_EMAIL_BACKENDS:
        messages.append(
            Warning(
                _("邮件没有真正发出（EMAIL_BACKEND = %(backend)s）：给来信人和工作人员的邮件通知只留在服务器上。")
                % {"backend": settings.EMAIL_BACKEND},
                hint=_("设置 ZT_EMAIL_HOST 等邮件服务器参数（运维手册第 3 节、5.15）。"),
                id="zhengtong.W830",
            )
        )
    try:
        outbox = get_sms_backend().outbox_only
    except Exception as error:
        messages.append(
            Warning(
                _("短信发送方式 ZT_SMS_BACKEND = %(path)s 无法加载：%(error)s")
                % {"path": sms_backend_path(), "error": error},
                hint=_("检查类的路径是否正确、所需的包是否已安装（运维手册 5.15）。"),
                id="zhengtong.W832",
            )
        )
    else:
        if outbox:
            messages.append(
                Warning(
                    _("短信没有真正发出：ZT_SMS_BACKEND 是发件箱，只记下将要发送的短信（后台“通知 → 发送记录”）。"),
                    hint=_("接入本地短信平台后设置 ZT_SMS_BACKEND（运维手册 5.15）。"),
                    id="zhengtong.W831",
                )
            )
    try:
        from zhengtong.notifications.models import Message

        failed = Message.objects.filter(
            status=Message.Status.FAILED, created_at__gte=timezone.now() - timedelta(days=7)
        ).count()
    except DatabaseError:
        failed = 0  # not migrated yet
    if failed:
        messages.append(
            Warning(
                _("最近 7 天有 %(n)s 条通知发送失败。") % {"n": failed},
                hint=_("在管理后台“通知 → 发送记录”按“发送失败”筛选，查看错误原因。"),
                id="zhengtong.W833",
            )
        )
    if not messages:
        messages.append(Info(_("邮件和短信通知都经真实的发送渠道发出。"), id="zhengtong.I830"))
    return messages
