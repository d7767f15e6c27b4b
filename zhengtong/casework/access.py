"""Who sees and handles which cases: an office its own and its sub-units' cases; supervisors all.

The office that registered a case (the hotline operators who took the call) keeps following it after
dispatching it elsewhere, to remind, call back and close; it does not handle it for the department.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from zhengtong.casework.models import Case, CaseEvent
from zhengtong.casework.workflow import Event
from zhengtong.core.models import Organisation


def organisation_ids_under(organisation: Organisation | None) -> set[int]:
    """The organisation and every organisation below it (about a hundred rows: read once)."""
    if organisation is None:
        return set()
    children: dict[int | None, list[int]] = {}
    for pk, parent in Organisation.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = set(), [organisation.pk]
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo += children.get(pk, [])
    return found


def registered_by(organisation_ids) -> Exists:
    """Cases whose receipt event names one of these organisations (the registering office)."""
    return Exists(
        CaseEvent.objects.filter(case=OuterRef("pk"), kind=Event.RECEIVED, organisation_id__in=organisation_ids)
    )


def registering_organisation_id(case: Case) -> int | None:
    return case.events.filter(kind=Event.RECEIVED).values_list("organisation_id", flat=True).first()


def visible_cases(user) -> QuerySet[Case]:
    if not user.is_authenticated or not user.has_perm("zt_casework.view_case"):
        return Case.objects.none()
    if user.has_perm("zt_casework.supervise_case"):
        return Case.objects.all()
    ids = organisation_ids_under(user.organisation)
    if user.has_perm("zt_casework.add_case"):
        return Case.objects.filter(Q(organisation_id__in=ids) | registered_by(ids))
    return Case.objects.filter(organisation_id__in=ids)


def can_see(user, case: Case) -> bool:
    return visible_cases(user).filter(pk=case.pk).exists()


def handles_in_office(user, case: Case) -> bool:
    """Whether the case now lies with the user's office (or below it): the office that does the work."""
    return user.is_superuser or case.organisation_id in organisation_ids_under(user.organisation)


def follows_as_registrar(user, case: Case) -> bool:
    """Whether the user belongs to the office that registered the case and may register cases (话务员)."""
    if not user.has_perm("zt_casework.add_case"):
        return False
    return user.is_superuser or registering_organisation_id(case) in organisation_ids_under(user.organisation)


def can_handle(user, case: Case) -> bool:
    return user.has_perm("zt_casework.change_case") and can_see(user, case)


def can_review(user, case: Case) -> bool:
    return user.has_perm("zt_casework.review_case_reply") and can_see(user, case)
