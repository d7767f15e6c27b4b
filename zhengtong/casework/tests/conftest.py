import pytest
from django.contrib.auth.models import Group

from zhengtong.core import roles
from zhengtong.core.models import Organisation, User


@pytest.fixture
def county(db):
    """The county government office (hotline operators), two departments, one of them with a unit."""
    office = Organisation.objects.create(name="县人民政府办公室", short_name="县政府办", code="木政办")
    housing = Organisation.objects.create(name="县住房和城乡建设局", short_name="住建局", code="木建")
    water = Organisation.objects.create(name="县水务局", short_name="水务局", code="木水")
    return office, housing, water


def member(username: str, organisation, *group_names: str) -> User:
    user = User.objects.create_user(username=username, password="x", organisation=organisation)
    user.groups.add(*Group.objects.filter(name__in=group_names))
    assert user.groups.count() == len(group_names)
    return user


@pytest.fixture
def people(county):
    office, housing, water = county
    return {
        "operator": member("operator", office, roles.CASE_REGISTRAR),
        "clerk": member("clerk", housing, roles.CASE_HANDLER),
        "water_clerk": member("water_clerk", water, roles.CASE_HANDLER),
        "supervisor": member("supervisor", water, roles.CASE_SUPERVISOR),
    }
