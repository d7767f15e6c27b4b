"""The one path for telling a person something: ``notify`` stores the messages, the worker sends them.

Channels: SMS (``ZT_SMS_BACKEND``, see ``backends``), email (Django's ``EMAIL_BACKEND``) and, for staff,
the admin's own notice list (站内通知). ``notify`` writes one ``Message`` per channel the person can be
reached on and enqueues the sending for when the surrounding transaction commits; the worker
(``tasks.send_message`` → ``deliver``) tries up to ``MAX_ATTEMPTS`` times, waiting ``RETRY_DELAYS``
between tries, then marks the message failed. Nothing here raises into the business action that asked
for the message: a case is replied to whether or not the SMS goes out.

Texts come from ``templates/notifications/<template>.txt``: the first line is the title (the email's
subject, the notice's heading), the rest the text. An SMS carries the case code and what to do next, never
the applicant's personal data or the content of a reply (read through the lookup page).
"""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from zhengtong.notifications.backends import get_sms_backend, sms_backend_path
from zhengtong.notifications.models import Message
from zhengtong.privacy.fields import plaintext
from zhengtong.privacy.kinds import PHONE, normalise
from zhengtong.privacy.masking import mask

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=10))  # before the 2nd and the 3rd attempt
SMS_MAX_CHARS = 300  # a long SMS is split by the carrier into 70-character parts; beyond this it is an email
_MOBILE = re.compile(r"1[3-9]\d{9}")


def mobile_number(phone) -> str:
    """The 11-digit mainland mobile number in ``phone``, or "" for a landline (it cannot receive SMS)."""
    digits = normalise(PHONE, plaintext(phone))
    return digits if _MOBILE.fullmatch(digits) else ""


def render(template: str, context: dict) -> tuple[str, str]:
    """(title, text) of a message template, rendered in Chinese."""
    base = {"site_name": settings.WAGTAIL_SITE_NAME, "base_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")}
    rendered = render_to_string(f"notifications/{template}.txt", {**base, **context}).strip()
    title, _sep, text = rendered.partition("\n")
    return title.strip(), re.sub(r"\n{3,}", "\n\n", text.strip())


def sms_text(text: str) -> str:
    """The SMS as the phone shows it: the sender's signature (required by carriers) and the text on one line."""
    signature = getattr(settings, "ZT_SMS_SIGNATURE", "") or settings.WAGTAIL_SITE_NAME
    return f"【{signature}】" + "".join(line.strip() for line in text.splitlines() if line.strip())


def notify(template: str, context: dict | None = None, *, case=None, user=None, phone="", email="") -> list[Message]:
    """Tell one person something on every channel they can be reached on; returns the stored messages.

    ``user``: a staff member (a notice in the admin, and an email when they have an address). ``phone``
    and ``email``: an applicant's contact (plain text or the ``PersonalData`` of an ``Applicant`` field);
    an SMS goes only to a mobile number. Never raises: a failure is logged and the caller goes on.
    """
    try:
        with transaction.atomic():
            return _notify(template, context or {}, case=case, user=user, phone=phone, email=email)
    except Exception:
        logger.exception("could not store the %s notification", template)
        return []


def _notify(template, context, *, case, user, phone, email) -> list[Message]:
    messages = []
    now = timezone.now()
    if user is not None:
        title, text = render(template, {**context, "channel": "inbox", "staff": True})
        messages.append(
            Message.objects.create(
                channel=Message.Channel.INBOX,
                user=user,
                template=template,
                subject=title,
                body=text,
                case=case,
                status=Message.Status.SENT,
                sent_at=now,
                backend="inbox",
            )
        )
        email = email or user.email
    mobile = mobile_number(phone)
    if mobile:
        title, text = render(template, {**context, "channel": "sms", "staff": user is not None})
        body = sms_text(text)
        if len(body) <= SMS_MAX_CHARS:
            messages.append(
                Message.objects.create(
                    channel=Message.Channel.SMS, user=user, phone=mobile, template=template, subject=title,
                    body=body, case=case,
                )
            )  # fmt: skip
        else:
            logger.warning("notification %s is too long for an SMS; not sent by SMS", template)
    if plaintext(email):
        title, text = render(template, {**context, "channel": "email", "staff": user is not None})
        messages.append(
            Message.objects.create(
                channel=Message.Channel.EMAIL, user=user, email=plaintext(email), template=template,
                subject=title, body=text, case=case,
            )
        )  # fmt: skip
    for message in messages:
        if message.status == Message.Status.QUEUED:
            _enqueue(message.pk)
    return messages


def _enqueue(pk: int, delay: timedelta | None = None) -> None:
    from zhengtong.core.tasks import enqueue_with_transaction
    from zhengtong.notifications.tasks import send_message

    task = send_message.using(run_after=timezone.now() + delay) if delay else send_message
    try:
        enqueue_with_transaction(task, pk)
    except Exception:
        # The queue is down: the message stays queued, and ``send_pending`` picks it up later.
        logger.exception("could not enqueue message %s", pk)


def deliver(pk: int) -> str:
    """Send one queued message (the worker's job); returns its status afterwards."""
    retry = None
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=pk).first()
        if message is None or message.status != Message.Status.QUEUED:
            return message.status if message else "missing"
        message.attempts += 1
        try:
            message.provider_id = _send(message)[:200]
        except Exception as error:
            message.error = _describe(error, message)
            if message.attempts >= MAX_ATTEMPTS:
                message.status = Message.Status.FAILED
                logger.warning("message %s failed after %s attempts", pk, message.attempts)
            else:
                retry = RETRY_DELAYS[min(message.attempts, len(RETRY_DELAYS)) - 1]
        else:
            message.status, message.sent_at, message.error = Message.Status.SENT, timezone.now(), ""
        message.save()
    if retry is not None:
        _enqueue(pk, retry)
    return message.status


def _send(message: Message) -> str:
    if message.channel == Message.Channel.SMS:
        message.backend = sms_backend_path()
        return str(get_sms_backend().send(message.phone.reveal(), message.body) or "")
    if message.channel == Message.Channel.EMAIL:
        message.backend = settings.EMAIL_BACKEND
        EmailMessage(subject=message.subject, body=message.body, to=[message.email.reveal()]).send()
        return ""
    return ""


def _describe(error: Exception, message: Message) -> str:
    """The error for the outbox, without the recipient's number or address a provider may echo back."""
    text = f"{type(error).__name__}: {error}"[:1000]
    for field, kind in (("phone", "phone"), ("email", "email")):
        value = plaintext(getattr(message, field))
        if value:
            text = text.replace(value, mask(kind, value))
    return text


def send_pending(older_than: timedelta = timedelta(hours=1)) -> int:
    """Enqueue again messages still queued long after they were made (the queue was down); returns how many."""
    stale = Message.objects.filter(status=Message.Status.QUEUED, created_at__lt=timezone.now() - older_than)
    count = 0
    for pk in stale.values_list("pk", flat=True)[:500]:
        _enqueue(pk)
        count += 1
    return count


# --- Who hears about a case -----------------------------------------------------------------------------


def users_with(codename: str, app_label: str = "zt_casework") -> QuerySet:
    """Active staff granted a permission, directly or through a group.

    Superusers are left out: under 三员分立 a superuser is a break-glass account, not a case handler.
    """
    from zhengtong.core.models import User

    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if permission is None:
        return User.objects.none()
    holds = Q(user_permissions=permission) | Q(groups__permissions=permission)
    return User.objects.filter(holds, is_active=True).distinct()


def case_handlers(organisation) -> QuerySet:
    """An organisation's staff who can handle cases (``zt_casework.change_case``)."""
    if organisation is None:
        return users_with("change_case").none()
    return users_with("change_case").filter(organisation=organisation)


def reviewers(organisation) -> QuerySet:
    return users_with("review_case_reply").filter(organisation=organisation)


def supervisors() -> QuerySet:
    return users_with("supervise_case")


def unread_count(user) -> int:
    return Message.objects.filter(user=user, channel=Message.Channel.INBOX, read_at__isnull=True).count()
