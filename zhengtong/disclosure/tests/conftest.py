import pytest

from zhengtong.disclosure.testing import build_disclosure


@pytest.fixture
def disclosure(portal):
    return build_disclosure(portal)
