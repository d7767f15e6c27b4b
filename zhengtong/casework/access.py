"""Who sees and handles which cases: an office its own and its sub-units' cases; supervisors all."""

from django.db.models import QuerySet

from zhengtong.casework.models import Case
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


def visible_cases(user) -> QuerySet[Case]:
    if not user.is_authenticated or not user.has_perm("zt_casework.view_case"):
        return Case.objects.none()
    if user.has_perm("zt_casework.supervise_case"):
        return Case.objects.all()
    return Case.objects.filter(organisation_id__in=organisation_ids_under(user.organisation))


def can_see(user, case: Case) -> bool:
    return visible_cases(user).filter(pk=case.pk).exists()


def can_handle(user, case: Case) -> bool:
    return user.has_perm("zt_casework.change_case") and can_see(user, case)


def can_review(user, case: Case) -> bool:
    return user.has_perm("zt_casework.review_case_reply") and can_see(user, case)
