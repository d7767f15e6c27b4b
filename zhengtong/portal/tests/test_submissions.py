"""Submission (报送) of department items to county portal columns."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhengtong.core import roles
from zhengtong.portal import submissions
from zhengtong.portal.models import ArticlePage, ColumnSubmission
from zhengtong.portal.testing import department_editor, make_staff, publish_article, role
from zhengtong.twofactor.testing import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(portal):
    return {
        "editor": department_editor(portal),
        "final": make_staff("final", portal.government, role(portal, roles.FINAL_REVIEWER)),
        "reviewer": make_staff("reviewer", portal.government, role(portal, roles.REVIEWER)),
    }


@pytest.fixture
def item(portal):
    return publish_article(portal.section_news, "教育局推进教育信息化", body="<p>全县学校接入网络。</p>")


def test_target_columns_exclude_department_sections(portal):
    columns = list(submissions.portal_columns_for(portal.section_news))
    assert portal.dept_news_column in columns and portal.news in columns
    assert portal.section_news not in columns


def test_accepted_submission_appears_in_the_portal_column_linked_to_the_original(client, portal, people, item):
    submission = submissions.submit(item, portal.dept_news_column, people["editor"], note="请采用")
    assert submission.status == ColumnSubmission.Status.PENDING
    assert item not in portal.dept_news_column.items()

    submissions.accept(submission, people["final"])
    submission.refresh_from_db()
    alias = submission.alias.specific
    assert alias.alias_of_id == item.pk and alias.live
    assert alias.get_parent().pk == portal.dept_news_column.pk
    column_html = client.get(portal.dept_news_column.url, HTTP_HOST="portal.test").text
    assert "教育局推进教育信息化" in column_html
    alias_html = client.get(alias.url, HTTP_HOST="portal.test").text
    assert f'rel="canonical" href="{item.full_url}"' in alias_html
    assert item.url in alias_html

    # The alias follows later publications of the original.
    item.title = "教育局推进教育信息化（更新）"
    item.save_revision().publish()
    assert ArticlePage.objects.get(pk=alias.pk).title == "教育局推进教育信息化（更新）"


def test_rejection_reason_is_shown_to_the_submitter(client, portal, people, item):
    submission = submissions.submit(item, portal.dept_news_column, people["editor"])
    login_verified(client, people["final"])
    url = reverse("portal_submission_decide", args=(submission.pk, "reject"))
    client.post(url, {"reason": ""})
    assert ColumnSubmission.objects.get().status == ColumnSubmission.Status.PENDING  # a reason is required
    client.post(url, {"reason": "内容与本栏目定位不符"})
    assert ColumnSubmission.objects.get().status == ColumnSubmission.Status.REJECTED

    login_verified(client, people["editor"])
    page = client.get(reverse("portal_submissions")).content.decode()
    assert "未采用" in page and "内容与本栏目定位不符" in page


def test_only_final_reviewers_decide(portal, people, item):
    submission = submissions.submit(item, portal.dept_news_column, people["editor"])
    with pytest.raises(PermissionDenied):
        submissions.accept(submission, people["reviewer"])
    with pytest.raises(PermissionDenied):
        submissions.accept(submission, people["editor"])


def test_submission_errors_are_explained(portal, people, item):
    draft = portal.section_news.add_child(instance=ArticlePage(title="草稿", body="<p>x</p>", live=False))
    with pytest.raises(ValidationError, match="还没有发布"):
        submissions.submit(draft, portal.dept_news_column, people["editor"])
    with pytest.raises(ValidationError, match="本门户的栏目"):
        submissions.submit(item, portal.section_news, people["editor"])
    submissions.submit(item, portal.dept_news_column, people["editor"])
    with pytest.raises(ValidationError, match="请勿重复报送"):
        submissions.submit(item, portal.dept_news_column, people["editor"])
    county_item = publish_article(portal.news, "县级信息")
    with pytest.raises(PermissionDenied):
        submissions.submit(county_item, portal.dept_news_column, people["editor"])


def test_submit_through_the_admin(client, portal, people, item):
    login_verified(client, people["editor"])
    url = reverse("portal_submission_create", args=(item.pk,))
    form_page = client.get(url)
    assert form_page.status_code == 200 and "部门动态" in form_page.content.decode()
    response = client.post(url, {"column": portal.dept_news_column.pk, "note": "请审核"})
    assert response.status_code == 302
    assert ColumnSubmission.objects.get().note == "请审核"
    again = client.post(url, {"column": portal.dept_news_column.pk})
    assert "请勿重复报送" in again.content.decode()


def test_withdraw_only_own_pending(portal, people, item):
    submission = submissions.submit(item, portal.dept_news_column, people["editor"])
    with pytest.raises(PermissionDenied):
        submissions.withdraw(submission, people["final"])
    submissions.withdraw(submission, people["editor"])
    assert submission.status == ColumnSubmission.Status.WITHDRAWN
    # Once withdrawn it may be offered again.
    submissions.submit(item, portal.dept_news_column, people["editor"])


def test_final_reviewers_decide_only_for_their_own_portal(second_portal, portal, people, item):
    qitai_final = make_staff("qitai_final", second_portal.government, role(second_portal, roles.FINAL_REVIEWER))
    submission = submissions.submit(item, portal.dept_news_column, people["editor"])
    assert not submissions.pending_for(qitai_final).exists()
    assert list(submissions.pending_for(people["final"])) == [submission]
    with pytest.raises(PermissionDenied):
        submissions.accept(submission, qitai_final)
