"""The issue's acceptance journey on the demo county: a department editor's item goes through review to the feed."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import TaskState

from zhengtong.core.models import User
from zhengtong.portal.models import ArticlePage, ColumnPage, DepartmentPage
from zhengtong.portal.tests.test_workflow import article_form
from zhengtong.twofactor.testing import login_verified

pytestmark = pytest.mark.django_db
HOST = "127.0.0.1:8000"


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    call_command("load_demo", "--base-url", f"http://{HOST}", "--quiet", stdout=io.StringIO())


def act(client, username, page, action):
    login_verified(client, User.objects.get(username=username))
    state = TaskState.objects.get(workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS)
    return client.post(reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, state.pk)))


def test_department_item_is_drafted_reviewed_published_and_in_the_feed(client, demo):
    section = DepartmentPage.objects.get(organisation__short_name__contains="教育局")
    column = ColumnPage.objects.child_of(section).get()
    editor = User.objects.get(username="jyj_editor")

    login_verified(client, editor)
    admin_home = client.get(reverse("wagtailadmin_home"))
    assert admin_home.status_code == 200
    assert '<html lang="zh-hans"' in admin_home.text  # the staff workspace speaks Chinese
    add_url = reverse("wagtailadmin_pages:add", args=("portal", "articlepage", column.pk))
    response = client.post(add_url, article_form("县教育局召开2015年教育信息化推进会", slug="jyxxh-2015"))
    assert response.status_code == 302
    item = ArticlePage.objects.get(slug="jyxxh-2015")
    assert not item.live

    # The editor alone cannot publish: the publish button is refused.
    edit = client.post(
        reverse("wagtailadmin_pages:edit", args=(item.pk,)),
        article_form("县教育局召开2015年教育信息化推进会", slug="jyxxh-2015", action="action-publish"),
    )
    assert edit.status_code in (200, 302)
    assert not ArticlePage.objects.get(pk=item.pk).live

    assert act(client, "jyj_reviewer", item, "approve").status_code == 302
    assert not ArticlePage.objects.get(pk=item.pk).live
    assert act(client, "final_reviewer", item, "approve").status_code == 302
    item.refresh_from_db()
    assert item.live

    page = client.get(item.url, HTTP_HOST=HOST)
    assert page.status_code == 200 and "县教育局召开2015年教育信息化推进会" in page.text
    feed = client.get(column.url + "rss/", HTTP_HOST=HOST)
    titles = [t.text for t in ET.fromstring(feed.content).iter("title")]  # noqa: S314 - our own feed
    assert "县教育局召开2015年教育信息化推进会" in titles
