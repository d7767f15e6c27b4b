"""依申请公开 on the casework kernel: receiving an application and the office's steps on it.

Every step is a kernel event (``casework.services``) with actor, time and reason; this module adds what the
政府信息公开条例 asks beyond the generic lifecycle: the correction notice (第30条), the consultation of a
third party or another agency (第32、34条) and the end of an application not corrected in time. Views, the
staff pages, the API and the periodic task all call these functions.
"""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.casework import services as casework
from zhengtong.casework.models import Case, Channel
from zhengtong.casework.workflow import Event, Status, TransitionError
from zhengtong.core.workdays import add_workdays
from zhengtong.disclosure_requests import outcomes
from zhengtong.disclosure_requests.kinds import CONSULTATION_DAYS, CORRECTION_NOTICE_DAYS, DISCLOSURE
from zhengtong.disclosure_requests.models import DisclosureRequest

SYSTEM = "系统"  # actor label of the periodic task's steps
APPLICANT = "申请人"


def subject_for(description: str) -> str:
    first_line = description.strip().splitlines()[0] if description.strip() else ""
    return _("申请公开：%(what)s") % {"what": first_line[:60]}


def apply(
    *,
    organisation,
    description: str,
    applicant: dict,
    channel: str = Channel.WEB,
    received_at: datetime | None = None,
    received_on: date | None = None,
    provision_form: str = DisclosureRequest.Form.EMAIL,
    obtain_method: str = DisclosureRequest.Obtain.DOWNLOAD,
    fee_exemption: bool = False,
    lookup_password: str = "",
    actor=None,
    actor_label: str = "",
) -> Case:
    """Register an application with its receipt event (one transaction).

    政府信息公开条例 第31条: online, the receipt day is the day the system confirms it (now); in person the day
    it is handed in; by post the day it is signed for (``received_on``).
    """
    with transaction.atomic():
        case = casework.submit(
            DISCLOSURE.code,
            category="apply",
            subject=subject_for(description),
            content=description.strip(),
            organisation=organisation,
            channel=channel,
            received_at=received_at,
            received_on=received_on,
            actor=actor,
            actor_label=actor_label or (APPLICANT if actor is None else ""),
            lookup_password=lookup_password,
            applicant=applicant,
        )
        DisclosureRequest.objects.create(
            case=case,
            description=description.strip(),
            provision_form=provision_form,
            obtain_method=obtain_method,
            fee_exemption=fee_exemption,
        )
    return case


def details(case: Case) -> DisclosureRequest:
    """The application's own fields; an empty one for a disclosure case registered without them."""
    request = DisclosureRequest.objects.filter(case=case).first()
    if request is None:
        request = DisclosureRequest.objects.create(case=case, description=case.content)
    return request


def correction_notice_due(case: Case) -> date | None:
    """The last day to send the correction notice (第30条: within 7 wd of receipt)."""
    if case.received_on is None:
        return None
    return add_workdays(case.received_on, CORRECTION_NOTICE_DAYS).date


def request_correction(
    case: Case, *, actor, text: str, due_on: date, day: date | None = None, at: datetime | None = None
) -> None:
    """The one-time correction notice (第30条): the reply clock stops until the corrected application arrives."""
    request = details(case)
    day = day or timezone.localdate(at)
    if request.correction_requested_on is not None:
        raise TransitionError(_("补正通知只能发一次（条例第三十条：一次性告知）。"))
    if due_on <= day:
        raise TransitionError(_("补正期限要晚于通知日期。"))
    with transaction.atomic():
        note = _("请补正申请：%(text)s（补正期限：%(due)s）") % {"text": text, "due": f"{due_on:%Y-%m-%d}"}
        casework.record_event(case, Event.PAUSED, actor=actor, day=day, note=note, public=True, at=at)
        DisclosureRequest.objects.filter(pk=request.pk).update(
            correction_requested_on=day, correction_text=text, correction_due_on=due_on
        )


def receive_correction(
    case: Case, *, actor=None, day: date | None = None, note: str = "", at: datetime | None = None
) -> None:
    """The corrected application arrived: the reply period counts again from that day (第30条)."""
    request = details(case)
    if not request.correction_pending:
        raise TransitionError(_("这件申请没有待补正的通知。"))
    day = day or timezone.localdate(at)
    with transaction.atomic():
        text = note or _("收到补正后的申请，答复期限自收到之日起重新计算。")
        casework.record_event(case, Event.RESTARTED, actor=actor, day=day, note=text, public=True, at=at)
        DisclosureRequest.objects.filter(pk=request.pk).update(corrected_on=day)


def end_without_correction(
    case: Case, *, actor=None, actor_label: str = SYSTEM, day: date | None = None, at: datetime | None = None
) -> None:
    """Not corrected in the time given: the application is treated as withdrawn (第30条), 其他处理·逾期不补正."""
    request = details(case)
    if not request.correction_pending:
        raise TransitionError(_("这件申请没有待补正的通知。"))
    note = _("申请人无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。")
    casework.record_event(
        case,
        Event.WITHDRAWN,
        actor=actor,
        actor_label=actor_label,
        outcome="other.no_correction",
        note=note,
        day=day,
        public=True,
        at=at,
    )


def expire_corrections(today: date | None = None) -> int:
    """End every application whose correction time ran out (the periodic task); returns how many."""
    today = today or timezone.localdate()
    ended = 0
    pending = DisclosureRequest.objects.filter(
        case__status__in=Status.OPEN,
        correction_requested_on__isnull=False,
        corrected_on__isnull=True,
        correction_due_on__lt=today,
    ).select_related("case")
    for request in pending:
        end_without_correction(request.case, day=today)
        ended += 1
    return ended


def start_consultation(
    case: Case, *, actor, consulted: str, day: date | None = None, note: str = "", at: datetime | None = None
) -> None:
    """Ask a third party or another agency (第32、34条): they have 15 wd, which the reply period does not count."""
    request = details(case)
    if request.consultation_pending:
        raise TransitionError(_("正在征求意见，收到意见后再发起新的征求。"))
    day = day or timezone.localdate(at)
    due = add_workdays(day, CONSULTATION_DAYS).date
    with transaction.atomic():
        text = _("征求%(who)s的意见，征求意见所需时间不计算在答复期限内。") % {"who": consulted}
        casework.record_event(case, Event.PAUSED, actor=actor, day=day, note=text, public=True, at=at)
        if note:
            casework.record_event(case, Event.NOTE, actor=actor, note=note, at=at)
        DisclosureRequest.objects.filter(pk=request.pk).update(
            consulted=consulted, consultation_started_on=day, consultation_due_on=due, consultation_ended_on=None
        )


def end_consultation(case: Case, *, actor, day: date | None = None, note: str = "", at: datetime | None = None) -> None:
    """The opinion arrived (or the 15 wd passed without one): the reply period runs on."""
    request = details(case)
    if not request.consultation_pending:
        raise TransitionError(_("这件申请没有正在进行的征求意见。"))
    day = day or timezone.localdate(at)
    with transaction.atomic():
        text = note or _("征求意见结束，恢复计算答复期限。")
        casework.record_event(case, Event.RESUMED, actor=actor, day=day, note=text, public=True, at=at)
        DisclosureRequest.objects.filter(pk=request.pk).update(consultation_ended_on=day)


def extend(case: Case, *, actor, days: int, reason: str, at: datetime | None = None) -> None:
    """One extension of at most 20 wd, approved by the head of the office (第33条); the kernel checks both."""
    casework.record_event(case, Event.EXTENDED, actor=actor, days=days, note=reason, at=at)


def withdraw(case: Case, *, reason: str, actor=None, actor_label: str = "", at: datetime | None = None) -> None:
    """The applicant withdraws (online after lookup, or a written withdrawal entered by staff)."""
    casework.record_event(
        case,
        Event.WITHDRAWN,
        actor=actor,
        actor_label=actor_label or (APPLICANT if actor is None else ""),
        outcome=outcomes.WITHDRAWN,
        note=reason or _("申请人撤回申请。"),
        at=at,
    )


def reply(
    case: Case, *, actor, outcome: str, text: str, where_public: str = "", files=(), at: datetime | None = None
) -> None:
    """Draft and send the reply in one go (staff who both draft and review; the demo and tests).

    The workspace splits it: a handler drafts, the reviewer sends it with the outcome. Either way the reply
    letter is made when the REPLIED event is stored (``letters.on_event_stored``).
    """
    from zhengtong.casework import attachments

    with transaction.atomic():
        if where_public:
            DisclosureRequest.objects.filter(case=case).update(where_public=where_public)
        if case.status in (Status.RECEIVED,):
            casework.record_event(case, Event.ACCEPTED, actor=actor, at=at)
        if case.status != Status.REVIEWING:
            casework.record_event(case, Event.REPLY_DRAFTED, actor=actor, note=text, at=at)
        event = casework.record_event(case, Event.REPLIED, actor=actor, outcome=outcome, note=text, at=at)
        if files:
            attachments.attach(event, files, actor=actor)
