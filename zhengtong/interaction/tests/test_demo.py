"""The demo county has the 县长信箱, 政务咨询 and a department mailbox, with published letters."""

import io

import pytest
from django.core.management import call_command

from zhengtong.interaction.models import InteractionPage, Publication

pytestmark = pytest.mark.django_db


def test_demo_has_the_interaction_pages_and_published_letters(client):
    call_command("load_demo", stdout=io.StringIO())
    pages = {page.slug: page for page in InteractionPage.objects.live()}
    assert set(pages) == {"xzxx", "zwzx", "jyjxx"}
    assert pages["xzxx"].get_parent().slug == "zmhd" and pages["zwzx"].channel == "consultation"
    assert pages["jyjxx"].get_parent().specific.organisation == pages["jyjxx"].organisation
    assert Publication.objects.filter(published=True).count() == 3

    host = {"HTTP_HOST": "127.0.0.1:8000"}
    mailbox = pages["xzxx"]
    listing = client.get(mailbox.url + "letters/", **host)
    assert listing.status_code == 200
    assert "马某" in listing.text and "哈某·某" in listing.text and "马建国" not in listing.text
    letter = client.get(mailbox.url + f"letters/{Publication.objects.get(case__subject__contains='公交').pk}/", **host)
    assert "138****4321" in letter.text and "13899904321" not in letter.text
    department = client.get(pages["jyjxx"].url + "letters/", **host)
    assert "孩子转学需要哪些材料" in department.text and "公交" not in department.text
    for page in pages.values():
        for route in ("", "write/", "lookup/", "figures/"):
            assert client.get(page.url + route, **host).status_code == 200, (page.slug, route)
