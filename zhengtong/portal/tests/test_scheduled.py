"""Scheduled publishing and expiry run through the worker."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from zhengtong.portal.models import ArticlePage
from zhengtong.portal.tasks import publish_scheduled

pytestmark = pytest.mark.django_db


def test_scheduled_item_goes_live_when_the_worker_runs(portal, client, run_worker):
    page = portal.news.add_child(instance=ArticlePage(title="定时发布的通知", body="<p>x</p>", live=False))
    go_live = timezone.now() + dt.timedelta(hours=1)
    page.go_live_at = go_live
    page.save_revision(approved_go_live_at=go_live).publish()
    page.refresh_from_db()
    assert not page.live

    publish_scheduled.enqueue()
    run_worker()
    page.refresh_from_db()
    assert not page.live  # not yet due

    with freeze_time(go_live + dt.timedelta(minutes=1)):
        publish_scheduled.enqueue()
        run_worker()
    page.refresh_from_db()
    assert page.live
    assert "定时发布的通知" in client.get(portal.news.url, HTTP_HOST="portal.test").text


def test_expired_item_is_unpublished_by_the_worker(portal, run_worker):
    page = portal.news.add_child(instance=ArticlePage(title="限时公告", body="<p>x</p>"))
    page.save_revision().publish()
    ArticlePage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - dt.timedelta(minutes=1))
    publish_scheduled.enqueue()
    run_worker()
    page.refresh_from_db()
    assert not page.live and page.expired
