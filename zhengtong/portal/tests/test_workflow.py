"""Reviewed publishing: editors draft, 初审 by the owning organisation, 终审 by the county."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from zhengtong.core import roles
from zhengtong.core.models import Organisation
from zhengtong.portal.models import ArticlePage, WordingAcknowledgement, WordingRule
from zhengtong.portal.testing import department_editor, make_staff, role
from zhengtong.twofactor.testing import login_verified

pytestmark = pytest.mark.django_db


def article_form(title, body="县教育局开展信息化培训。", action="action-submit", slug="item"):
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "body": rich_text(f"<p>{body}</p>"),
            "summary": "",
            "source": "",
            "author": "",
            "editor": "",
            "published_date": "",
            "images": inline_formset([]),
            "attachments": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    data[action] = "1"
    return data


def create_in(client, user, column, **kwargs):
    login_verified(client, user)
    url = reverse("wagtailadmin_pages:add", args=("portal", "articlepage", column.pk))
    return client.post(url, article_form(**kwargs))


@pytest.fixture
def staff(portal):
    return {
        "editor": department_editor(portal),
        "dept_reviewer": make_staff("dept_reviewer", portal.department, role(portal, roles.REVIEWER)),
        "county_reviewer": make_staff("county_reviewer", portal.government, role(portal, roles.REVIEWER)),
        "final": make_staff("final", portal.government, role(portal, roles.FINAL_REVIEWER)),
        "portal_editor": make_staff("portal_editor", portal.government, role(portal, roles.PORTAL_EDITOR)),
    }


def workflow_action(client, user, page, action, data=None):
    login_verified(client, user)
    state = TaskState.objects.get(workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS)
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, state.pk))
    return client.post(url, data or {})


def current_task_name(page):
    return Page.objects.get(pk=page.pk).current_workflow_task.name


def test_editors_cannot_publish(portal, staff):
    for name in ("editor", "portal_editor"):
        perms = portal.section_news.permissions_for_user(staff[name])
        assert not perms.can_publish_subpage()


def test_department_editor_is_confined_to_its_subtree(portal, staff):
    editor = staff["editor"]
    assert portal.section_news.permissions_for_user(editor).can_add_subpage()
    assert not portal.news.permissions_for_user(editor).can_add_subpage()
    assert not portal.home.permissions_for_user(editor).can_edit()


def test_two_step_review_publishes_after_final_approval(client, portal, staff):
    response = create_in(client, staff["editor"], portal.section_news, title="教育局信息化培训")
    assert response.status_code == 302
    page = ArticlePage.objects.get(title="教育局信息化培训")
    assert not page.live
    assert current_task_name(page) == "初审"

    # A reviewer from another department sees no actions; the county reviewer could, but we use the department's.
    other_org = Organisation.objects.create(
        name="木垒县民政局", short_name="民政局", code="木民", parent=portal.government
    )
    outsider = make_staff("outsider", other_org, role(portal, roles.REVIEWER))
    assert page.current_workflow_task.specific.get_actions(page, outsider) == []
    workflow_action(client, outsider, page, "approve")
    assert current_task_name(page) == "初审"

    assert workflow_action(client, staff["dept_reviewer"], page, "approve").status_code == 302
    assert current_task_name(page) == "终审"
    assert not ArticlePage.objects.get(pk=page.pk).live

    # The department reviewer cannot do the final step.
    assert page.current_workflow_task.specific.get_actions(page, staff["dept_reviewer"]) == []
    assert workflow_action(client, staff["final"], page, "approve").status_code == 302
    page.refresh_from_db()
    assert page.live
    assert page.published_date is not None
    assert WorkflowState.objects.get(object_id=str(page.pk)).status == WorkflowState.STATUS_APPROVED


def test_county_reviewer_may_review_department_items(portal, staff):
    page = portal.section_news.add_child(instance=ArticlePage(title="部门信息", body="<p>x</p>", live=False))
    page.save_revision(user=staff["editor"])
    page.get_workflow().start(page, staff["editor"])
    task = page.current_workflow_task.specific
    assert task.get_actions(page, staff["county_reviewer"])
    moderated = task.get_task_states_user_can_moderate(staff["dept_reviewer"])
    assert moderated.filter(workflow_state__object_id=str(page.pk)).exists()
    other_org = Organisation.objects.create(
        name="木垒县民政局", short_name="民政局", code="木民", parent=portal.government
    )
    outsider = make_staff("outsider", other_org, role(portal, roles.REVIEWER))
    assert not task.get_task_states_user_can_moderate(outsider).exists()


def test_rejection_returns_the_item_to_the_editor(client, portal, staff):
    create_in(client, staff["editor"], portal.section_news, title="待修改信息")
    page = ArticlePage.objects.get(title="待修改信息")
    response = workflow_action(client, staff["dept_reviewer"], page, "reject", {"comment": "请补充时间地点"})
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not ArticlePage.objects.get(pk=page.pk).live


def test_blocking_wording_error_stops_submission_with_position_and_correct_form(client, portal, staff):
    WordingRule.objects.create(phrase="总书计", correct_form="总书记", action=WordingRule.Action.BLOCK)
    response = create_in(client, staff["editor"], portal.section_news, title="学习讲话", body="学习总书计重要讲话。")
    assert response.status_code == 200
    text = response.content.decode()
    assert "不能提交" in text and "“总书计”" in text and "应为“总书记”" in text and "第3字" in text
    assert not ArticlePage.objects.filter(title="学习讲话").exists()


def test_blocking_rule_does_not_stop_saving_a_draft(client, portal, staff):
    WordingRule.objects.create(phrase="总书计", correct_form="总书记", action=WordingRule.Action.BLOCK)
    create_in(client, staff["editor"], portal.section_news, title="草稿", body="总书计", action="action-save")
    assert ArticlePage.objects.filter(title="草稿").exists()


def test_warning_needs_the_reviewers_acknowledgement_before_approval(client, portal, staff):
    WordingRule.objects.create(phrase="中共中央国务院", correct_form="中共中央、国务院", action=WordingRule.Action.WARN)
    response = create_in(client, staff["editor"], portal.section_news, title="贯彻中共中央国务院部署")
    assert response.status_code == 302
    page = ArticlePage.objects.get(title="贯彻中共中央国务院部署")
    reviewer = staff["dept_reviewer"]
    task = page.current_workflow_task.specific
    action_names = [name for name, *_ in task.get_actions(page, reviewer)]
    assert "approve" not in action_names and "acknowledge" in action_names

    # A forged approval is refused and nothing moves.
    workflow_action(client, reviewer, page, "approve")
    assert current_task_name(page) == "初审"

    # The acknowledgement form lists the hit and needs the box ticked.
    login_verified(client, reviewer)
    state = TaskState.objects.get(workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS)
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "acknowledge", state.pk))
    modal = client.get(url)
    assert "中共中央国务院" in modal.json()["html"]
    client.post(url, {})
    assert not WordingAcknowledgement.objects.exists()
    client.post(url, {"confirm": "on"})
    ack = WordingAcknowledgement.objects.get()
    assert ack.user == reviewer and ack.hits[0]["phrase"] == "中共中央国务院"

    assert [n for n, *_ in task.get_actions(page, reviewer)].count("approve") == 2
    assert workflow_action(client, reviewer, page, "approve").status_code == 302
    assert current_task_name(page) == "终审"


def test_submitting_with_a_warning_tells_the_editor(client, portal, staff):
    WordingRule.objects.create(phrase="中共中央国务院", correct_form="中共中央、国务院", action=WordingRule.Action.WARN)
    create_in(client, staff["editor"], portal.section_news, title="贯彻中共中央国务院部署")
    messages = [str(m) for m in client.get(reverse("wagtailadmin_home")).context["messages"]]
    assert any("表述提示" in m and "中共中央、国务院" in m for m in messages)


def test_each_portal_gets_its_own_roles_and_workflow(second_portal, portal):
    from wagtail.models import WorkflowPage

    from zhengtong.portal.setup import workflow_name

    assert WorkflowPage.objects.get(page=portal.home).workflow.name == workflow_name("木垒")
    assert WorkflowPage.objects.get(page=second_portal.home).workflow.name == workflow_name("奇台")
    mulei_editor = make_staff("mulei_editor", portal.government, role(portal, roles.PORTAL_EDITOR))
    assert portal.news.permissions_for_user(mulei_editor).can_add_subpage()
    assert not second_portal.news.permissions_for_user(mulei_editor).can_add_subpage()


def test_final_reviewer_of_one_portal_cannot_approve_anothers_items(second_portal, portal):
    mulei_final = make_staff("mulei_final", portal.government, role(portal, roles.FINAL_REVIEWER))
    qitai_final = make_staff("qitai_final", second_portal.government, role(second_portal, roles.FINAL_REVIEWER))
    page = second_portal.news.add_child(instance=ArticlePage(title="奇台信息", body="<p>x</p>", live=False))
    page.save_revision()
    page.get_workflow().start(page, None)
    page.current_workflow_task_state.approve(user=None)  # past 初审
    task = Page.objects.get(pk=page.pk).current_workflow_task.specific
    assert task.get_actions(page, mulei_final) == []
    assert task.get_actions(page, qitai_final)


def test_portal_created_in_the_admin_is_ready_for_review(db):
    from wagtail.models import WorkflowPage

    from zhengtong.portal.models import PortalHomePage

    government = Organisation.objects.create(name="吉木萨尔县人民政府", short_name="吉木萨尔县政府", code="吉政")
    home = Page.get_first_root_node().add_child(
        instance=PortalHomePage(
            title="吉木萨尔县人民政府网", slug="jmse", organisation=government, region_name="吉木萨尔"
        )
    )
    assert WorkflowPage.objects.filter(page=home).exists()
    assert Group.objects.filter(name=roles.portal_group_name(roles.FINAL_REVIEWER, "吉木萨尔")).exists()


def test_renaming_an_organisation_keeps_its_editors_permissions(portal, staff):
    portal.department.short_name = "县教育和科技局"
    portal.department.save()
    assert staff["editor"].groups.get().name == roles.department_editor_group_name("县教育和科技局")
    editor = type(staff["editor"]).objects.get(pk=staff["editor"].pk)
    assert portal.section_news.permissions_for_user(editor).can_add_subpage()
    portal.section.save_revision().publish()  # re-provisioning finds the renamed group
    assert Group.objects.filter(name__startswith="部门编辑·").count() == 1


def test_renaming_a_portals_region_keeps_its_roles_and_workflow(portal, staff):
    from wagtail.models import WorkflowPage

    from zhengtong.portal.setup import workflow_name

    home = portal.home.specific
    home.region_name = "木垒县"
    home.save_revision()  # a draft does not rename anything yet
    assert Group.objects.filter(name=roles.portal_group_name(roles.FINAL_REVIEWER, "木垒")).exists()
    home.save_revision().publish()
    assert staff["final"].groups.get().name == roles.portal_group_name(roles.FINAL_REVIEWER, "木垒县")
    assert WorkflowPage.objects.get(page=home).workflow.name == workflow_name("木垒县")


def test_two_portals_cannot_share_a_region_name(second_portal, portal):
    from django.core.exceptions import ValidationError

    home = second_portal.home.specific
    home.region_name = "木垒"
    with pytest.raises(ValidationError) as error:
        home.full_clean()
    assert "已有门户使用“木垒”作地区简称" in str(error.value)
