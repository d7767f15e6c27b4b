"""Hotline work orders (县长专线 / 12345-style) on the case kernel.

DOMAIN.md §4: 受理 → 派单 → 办理 → 答复 → 督办 → 办结 → 回访 → 评价. The operator records the call
(``services.submit`` with channel phone; the category sets the limit: urgent same day, consultation 3 wd,
complaint 13 wd, ``kinds.HOTLINE``), dispatches the order to a department, and after the reply calls the
citizen back and records how satisfied they are. A department that got an order that is not its business
returns it (退单) to the operators with a reason. Each step is a kernel event; nothing here keeps state.
"""

from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from zhengtong.casework import access, services
from zhengtong.casework.kinds import HOTLINE, get_kind
from zhengtong.casework.models import Case, CaseEvent
from zhengtong.casework.workflow import CallBack, Event, Rating, Status, TransitionError

# Actions of the workspace that are not a single kernel event.
DISPATCH = "dispatch"  # 派单: ACCEPTED (when still new) and ASSIGNED to the department
RETURN = "return"  # 退单: TRANSFERRED back to the registering office, outcome RETURNED
RETURNED = "returned"  # outcome of the TRANSFERRED event of a 退单
ANSWER = "answer"  # 直接答复: the operator answers a call on the spot (ACCEPTED, REPLIED, CLOSED)

ACTION_LABELS = {DISPATCH: _("派单"), RETURN: _("退单"), ANSWER: _("直接答复并办结")}


def is_hotline(case: Case) -> bool:
    return case.kind == HOTLINE.code


def with_registering_office(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate ``registering_organisation_id`` (the office whose operators took the call)."""
    receipt = CaseEvent.objects.filter(case=OuterRef("pk"), kind=Event.RECEIVED).values("organisation_id")[:1]
    return cases.annotate(registering_organisation_id=Subquery(receipt))


def is_returned(case: Case, registering_organisation_id: int | None = None) -> bool:
    """An order back with the operators after a department's 退单, waiting to be dispatched again."""
    if registering_organisation_id is None:
        registering_organisation_id = access.registering_organisation_id(case)
    return case.status == Status.ASSIGNED and case.organisation_id == registering_organisation_id


def event_label(event: CaseEvent) -> str:
    """A timeline entry in the hotline's words: a department's return reads 退单, not 转办."""
    if event.kind == Event.TRANSFERRED and event.outcome == RETURNED:
        return str(ACTION_LABELS[RETURN])
    return get_kind(event.case.kind).event_label(event.kind)


def status_label(case: Case) -> str:
    """The order's status in the hotline's words; a returned order reads 已退单."""
    registering = getattr(case, "registering_organisation_id", None)
    if is_hotline(case) and case.status == Status.ASSIGNED and is_returned(case, registering):
        return _("已退单（待重新派单）")
    return case.status_label


def dispatch(case: Case, organisation, *, actor, category: str = "", note: str = "", at=None) -> None:
    """派单: send the order to ``organisation``; a changed category sets the order's limit anew."""
    kind = get_kind(case.kind)
    if organisation.pk == case.organisation_id:
        raise TransitionError(_("派单要选一个承办单位，不能派给本单位。"))
    with transaction.atomic():
        if category and category != case.category:
            if category not in kind.categories:
                raise TransitionError(_("没有这个类别。"))
            Case.objects.filter(pk=case.pk).update(category=category)
            case.category = category
            services.record_event(
                case,
                Event.CLASSIFIED,
                actor=actor,
                days=kind.limit_for(category),
                at=at,
                note=_("类别改为“%(category)s”") % {"category": kind.categories[category]},
            )
        if case.status == Status.RECEIVED:
            services.record_event(case, Event.ACCEPTED, actor=actor, at=at)
        # Internal like every assignment: the note is the operator's instruction to the department.
        services.record_event(case, Event.ASSIGNED, actor=actor, organisation=organisation, note=note, at=at)


def answer(case: Case, *, actor, reply: str, at=None) -> None:
    """直接答复: a question the operator answers during the call itself; the order is closed at once."""
    if not reply.strip():
        raise TransitionError(_("请填写答复内容。"))
    with transaction.atomic():
        if case.status == Status.RECEIVED:
            services.record_event(case, Event.ACCEPTED, actor=actor, at=at)
        services.record_event(case, Event.REPLIED, actor=actor, note=reply, at=at)
        services.record_event(case, Event.CLOSED, actor=actor, at=at)


def return_order(case: Case, *, actor, reason: str, at=None) -> CaseEvent:
    """退单: the department sends a wrongly dispatched order back to the operators, with its reason."""
    from zhengtong.core.models import Organisation

    registering = access.registering_organisation_id(case)
    if registering is None or registering == case.organisation_id:
        raise TransitionError(_("这张工单已在登记单位，无需退单。"))
    if not reason.strip():
        raise TransitionError(_("请写明退单理由。"))
    return services.record_event(
        case,
        Event.TRANSFERRED,
        actor=actor,
        organisation=Organisation.objects.get(pk=registering),
        outcome=RETURNED,
        note=reason,
        public=False,
        at=at,
    )


def call_back(case: Case, *, actor, reached: bool, note: str, rating: str = "", at=None) -> CaseEvent:
    """回访: record the call; when the citizen was reached and said how satisfied they are, that is the rating."""
    if rating and rating not in Rating.LABELS:
        raise TransitionError(_("满意度无效。"))
    if rating and not reached:
        raise TransitionError(_("未联系上来电人，不能记录满意度。"))
    with transaction.atomic():
        event = services.record_event(
            case,
            Event.CALLED_BACK,
            actor=actor,
            outcome=CallBack.REACHED if reached else CallBack.NOT_REACHED,
            note=note,
            at=at,
        )
        if rating:
            services.record_event(case, Event.RATED, actor=actor, rating=rating, note=_("回访时来电人评价"), at=at)
    return event


def operator_queues(user) -> dict[str, QuerySet[Case]]:
    """The operator's lists: new orders to dispatch, orders returned by departments, orders to call back."""
    ids = access.organisation_ids_under(user.organisation)
    mine = with_registering_office(access.visible_cases(user).filter(kind=HOTLINE.code))
    if not user.is_superuser:
        mine = mine.filter(registering_organisation_id__in=ids)
    mine = mine.select_related("organisation", "handler")
    reached = CaseEvent.objects.filter(case=OuterRef("pk"), kind=Event.CALLED_BACK, outcome=CallBack.REACHED)
    return {
        "dispatch": mine.filter(status__in=(Status.RECEIVED, Status.ACCEPTED)).order_by("due_on", "received_at"),
        "returned": mine.filter(status=Status.ASSIGNED, organisation_id=F("registering_organisation_id")).order_by(
            "due_on", "received_at"
        ),
        # A call-back checks a department's work: orders answered by the operators themselves need none.
        "call_back": mine.filter(status__in=(Status.REPLIED, Status.CLOSED))
        .exclude(organisation_id=F("registering_organisation_id"))
        .exclude(outcome__in=(Event.REJECTED, Event.ROUTED, Event.WITHDRAWN))
        .exclude(Exists(reached))
        .order_by("replied_on", "received_at"),
    }
