"""SMS backends: ``ZT_SMS_BACKEND`` names a class with ``send(phone, text) -> provider id``.

A county plugs in its SMS provider (a 政务短信平台 or a carrier's gateway) by writing a small class like
``OutboxSmsBackend`` that calls the provider and returns the provider's message id, raising any exception
when the provider refuses; the worker records the failure and tries again (``services.deliver``). The default
backend sends nothing: the message stays readable in the admin's outbox (通知 → 发送记录), and ``./zt check``
warns that no SMS really leaves (W831).
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_SMS_BACKEND = "zhengtong.notifications.backends.OutboxSmsBackend"


class SmsBackend:
    """The interface: send one text to one mainland mobile number (11 digits); return the provider's id."""

    # True for backends that do not hand messages to anyone (the admin says so beside such messages).
    outbox_only = False

    def send(self, phone: str, text: str) -> str:
        raise NotImplementedError


class OutboxSmsBackend(SmsBackend):
    """Nothing leaves the server: the stored message is the outbox ("what would be sent")."""

    outbox_only = True

    def send(self, phone: str, text: str) -> str:
        logger.info("SMS kept in the outbox (ZT_SMS_BACKEND is the outbox backend)")
        return "outbox"


def sms_backend_path() -> str:
    return getattr(settings, "ZT_SMS_BACKEND", "") or DEFAULT_SMS_BACKEND


def get_sms_backend() -> SmsBackend:
    return import_string(sms_backend_path())()
