import pytest

from zhengtong.casework import services as casework
from zhengtong.casework.workflow import Event
from zhengtong.interaction.models import InteractionPage
from zhengtong.portal.models import SectionPage

HOST = "portal.test"


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate-limit counters live in the default cache, shared by the tests of one worker."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def mailbox(portal):
    section = SectionPage.objects.get(slug="zmhd")
    return section.add_child(
        instance=InteractionPage(title="县长信箱", slug="xzxx", channel="mailbox", organisation=portal.government)
    )


@pytest.fixture
def web(client):
    """The test client speaking to the portal's host."""
    client.defaults["HTTP_HOST"] = HOST
    return client


def letter_data(**values) -> dict:
    data = {
        "category": "help",
        "subject": "一中门口路灯不亮",
        "content": "县一中门口的路灯坏了一个多月，晚上学生放学很不安全，请尽快修理。",
        "kind": "natural",
        "name": "张晓燕",
        "phone": "138 0000 1234",
        "email": "",
        "address": "",
        "id_number": "",
        "lookup_password": "",
    }
    data.update(values)
    return data


def reply(case, text="您好，路灯已于本周修好。", staff=None) -> None:
    """A clerk accepts, drafts, and a reviewer sends the reply (kernel services, as the admin does)."""
    if case.status == "received":
        casework.record_event(case, Event.ACCEPTED, actor=staff)
    casework.record_event(case, Event.REPLY_DRAFTED, actor=staff, note=text)
    casework.record_event(case, Event.REPLIED, actor=staff, note=text)


@pytest.fixture(autouse=True)
def _no_question(settings):
    """The anti-spam question is tested on its own (test_write.py); other tests post letters without it."""
    settings.ZT_FORM_QUESTION = False
