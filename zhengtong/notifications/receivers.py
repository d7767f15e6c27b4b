"""Who is told what when a case event is recorded (``casework.signals.case_event_recorded``).

Applicants hear of the steps they wait for (receipt with code and due date, a request to supply material,
transfer, rejection or routing, reply, closure, a reopening by staff); staff hear of work arriving on
their desk (a new case, an assignment or transfer to them or their office, a draft to review, a draft
returned, a reminder, supervision, a reopening). Nobody is told of their own action.
"""

import logging

from django.dispatch import receiver
from django.urls import reverse

from zhengtong.casework.signals import case_event_recorded
from zhengtong.casework.workflow import Event
from zhengtong.notifications import services

logger = logging.getLogger(__name__)

APPLICANT_TEMPLATES = {
    Event.RECEIVED: "case_received",
    Event.PAUSED: "case_paused",
    Event.EXTENDED: "case_extended",
    Event.TRANSFERRED: "case_transferred",
    Event.REJECTED: "case_rejected",
    Event.ROUTED: "case_routed",
    Event.REPLIED: "case_replied",
    Event.CLOSED: "case_closed",
    Event.REOPENED: "case_reopened",
}
STAFF_TEMPLATES = {
    Event.RECEIVED: "staff_case_received",
    Event.ASSIGNED: "staff_case_assigned",
    Event.TRANSFERRED: "staff_case_transferred",
    Event.REPLY_DRAFTED: "staff_reply_to_review",
    Event.REPLY_RETURNED: "staff_reply_returned",
    Event.REMINDED: "staff_case_reminded",
    Event.SUPERVISED: "staff_case_supervised",
    Event.REOPENED: "staff_case_reopened",
}


@receiver(case_event_recorded, dispatch_uid="zt_notifications_case_event")
def case_event(sender, event, **kwargs) -> None:
    case = event.case
    context = {"case": case, "event": event, "kind_label": case.kind_label, "organisation": case.organisation}
    template = APPLICANT_TEMPLATES.get(event.kind)
    # The applicant reopens by rating "not satisfied" on the lookup page and sees it there; staff reopening
    # a case is news to them.
    if template and not (event.kind == Event.REOPENED and event.actor_id is None):
        _tell_applicant(case, template, context)
    template = STAFF_TEMPLATES.get(event.kind)
    if template:
        context["admin_url"] = reverse("casework_detail", args=[case.pk])
        for user in _staff_for(event, case):
            if user.pk != event.actor_id:
                services.notify(template, context, case=case, user=user)


def _tell_applicant(case, template: str, context: dict) -> None:
    applicant = getattr(case, "applicant", None)
    if applicant is None or not (applicant.phone or applicant.email):
        return
    services.notify(template, context, case=case, phone=applicant.phone, email=applicant.email)


def _staff_for(event, case) -> list:
    kind = event.kind
    if kind == Event.REPLY_DRAFTED:
        return list(services.reviewers(case.organisation))
    if kind == Event.REPLY_RETURNED:
        draft = case.events.filter(kind=Event.REPLY_DRAFTED, at__lte=event.at).order_by("-at", "-id").first()
        return [draft.actor] if draft is not None and draft.actor is not None and draft.actor.is_active else []
    if kind in (Event.RECEIVED, Event.TRANSFERRED):
        return list(services.case_handlers(case.organisation))
    if kind in (Event.ASSIGNED, Event.REMINDED, Event.SUPERVISED, Event.REOPENED):
        people = [case.handler] if case.handler is not None and case.handler.is_active else []
        people = people or list(services.case_handlers(case.organisation))
        if kind == Event.SUPERVISED and event.actor_id is None:
            # An automatic escalation (casework.reminders) also goes to those who supervise (督办).
            people += [user for user in services.supervisors() if user not in people]
        return people
    return []
