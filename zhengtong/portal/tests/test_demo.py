"""The demo county loader (``manage.py load_demo``)."""

import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import GroupPagePermission, Page, Revision, Site, WorkflowPage

from zhengtong.casework import deadlines, hotline, services
from zhengtong.casework.forms import available_events
from zhengtong.casework.models import Case, CaseEvent
from zhengtong.casework.views import _mark
from zhengtong.casework.workflow import Event, Rating, Status
from zhengtong.core import roles
from zhengtong.core.models import Organisation, User
from zhengtong.disclosure.models import DisclosureItemPage
from zhengtong.portal import demo_content as content
from zhengtong.portal.models import (
    ArticleAttachment,
    ArticleImage,
    ArticlePage,
    ColumnPage,
    DepartmentPage,
    FooterSettings,
    InterpretationPage,
    PolicyPage,
    PortalHomePage,
    SectionPage,
    TopicPage,
    WordingRule,
)
from zhengtong.portal.setup import workflow_name
from zhengtong.portal.wording import find_hits

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1"
PORT = 8000
SHANGHAI = ZoneInfo("Asia/Shanghai")
DOCUMENT_NUMBER = re.compile(r"^\S+〔\d{4}〕[1-9]\d*号$")


@pytest.fixture(scope="class")
def demo_output(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo once for ``TestLoadedDemo``, inside a transaction rolled back afterwards.

    Each test still runs in its own savepoint (the ``db`` fixture), so tests
    cannot leak changes into each other or into other tests.
    """
    media = tmp_path_factory.mktemp("demo-media")
    fast_hashing = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media), PASSWORD_HASHERS=fast_hashing):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command("load_demo", "--base-url", f"http://{HOST}:{PORT}", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()  # Wagtail caches site root paths; the rolled-back site must not linger


@pytest.fixture
def demo(demo_output):
    return PortalHomePage.objects.get(organisation__code=content.GOVERNMENT_CODE)


def printed_passwords(output: str) -> dict[str, str]:
    """username → password from the table the first run prints."""
    usernames = {account.username for account in content.ACCOUNTS}
    found = {}
    for line in output.splitlines():
        cells = line.split()
        if cells and cells[0] in usernames:
            found[cells[0]] = cells[-1]
    return found


def model_counts() -> dict[str, int]:
    models = [
        Organisation,
        User,
        Group,
        Page,
        Revision,
        Site,
        Image,
        Document,
        ArticleImage,
        ArticleAttachment,
        WordingRule,
        FooterSettings,
        WorkflowPage,
        GroupPagePermission,
        Case,
        CaseEvent,
    ]
    return {model.__name__: model.objects.count() for model in models}


class TestLoadedDemo:
    """The demo as loaded once; each test reads it (and may change it inside its own savepoint)."""

    def test_the_site_is_the_default_site_rooted_at_the_portal_home(self, demo):
        site = Site.objects.get()
        assert (site.hostname, site.port, site.is_default_site) == (HOST, PORT, True)
        assert site.root_page.specific == demo
        assert demo.title == "木垒哈萨克自治县人民政府" and demo.region_name == "木垒" and demo.live
        # Wagtail's welcome page is gone: the only page under the root is the portal.
        assert list(Page.get_first_root_node().get_children().specific()) == [demo]

    def test_organisations_of_the_county(self, demo):
        government = Organisation.objects.get(code="木政")
        assert government.kind == Organisation.Kind.GOVERNMENT
        assert Organisation.objects.get(code="木政办").name == "木垒哈萨克自治县人民政府办公室"
        departments = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT)
        townships = Organisation.objects.filter(kind=Organisation.Kind.TOWNSHIP)
        assert departments.count() >= 15 and townships.count() >= 9
        assert {
            "木垒镇",
            "西吉尔镇",
            "东城镇",
            "新户镇",
            "照壁山乡",
            "英格堡乡",
            "大石头乡",
            "雀仁乡",
            "白杨河乡",
        } <= set(townships.values_list("short_name", flat=True))
        assert not Organisation.objects.exclude(pk=government.pk).exclude(parent=government).exists()
        assert all(org.code and org.short_name for org in Organisation.objects.all())

    def test_four_top_sections_in_the_menu(self, demo):
        sections = SectionPage.objects.child_of(demo).live().in_menu()
        assert [(s.title, s.slug) for s in sections] == [
            ("信息公开", "xxgk"),
            ("政民互动", "zmhd"),
            ("特色木垒", "tsmc"),
            ("网上办事", "wsbs"),
        ]
        assert all(section.intro for section in sections)

    def test_news_columns_have_dated_items_from_the_report_years(self, demo):
        titles = set(ColumnPage.objects.descendant_of(demo).values_list("title", flat=True))
        assert {"今日木垒", "部门动态", "乡镇动态", "图片新闻", "通知公告", "政策文件", "政策解读", "专题"} <= titles
        # The 信息公开 items (drafts on the proactive clock among them) are checked in zhengtong/disclosure/tests.
        items = ArticlePage.objects.descendant_of(demo).not_type(DisclosureItemPage)
        assert items.live().count() == items.count() >= 30
        assert not items.filter(has_unpublished_changes=True).exists()
        for item in items:
            assert item.published_date.year in (2014, 2015), item.title
            assert item.source and item.author and item.editor and item.summary, item.title
            assert item.body.count("<p>") >= 2, item.title
        # The dates set by the loader survive publishing, and lists are ordered by them.
        first = next(i for i in content.ITEMS if i.key == "wzqsjgb")
        page = ArticlePage.objects.get(slug="wzqsjgb")
        assert page.published_date.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") == first.date
        assert page.first_published_at == page.published_date
        column = ColumnPage.objects.get(slug="jrml")
        dates = [item.published_date for item in column.items()]
        assert len(dates) >= 5 and dates == sorted(dates, reverse=True)

    def test_no_column_is_left_blank(self, demo):
        for column in ColumnPage.objects.descendant_of(demo):
            has_topics = TopicPage.objects.child_of(column).live().exists()
            assert column.items().exists() or has_topics, column.title

    def test_policies_carry_correct_document_numbers_and_an_interpretation(self, demo):
        policies = PolicyPage.objects.live().descendant_of(demo)
        assert policies.count() >= 2
        for policy in policies:
            assert DOCUMENT_NUMBER.match(policy.document_number), policy.document_number
            assert policy.written_date is not None
        policy = PolicyPage.objects.get(document_number="木政发〔2015〕12号")
        assert policy.get_parent().title == "政策文件"
        assert policy.validity == PolicyPage.Validity.VALID
        interpretation = InterpretationPage.objects.get(policy=policy)
        assert interpretation.live and interpretation.get_parent().title == "政策解读"
        assert list(policy.interpretations()) == [interpretation]
        assert PolicyPage.objects.filter(validity=PolicyPage.Validity.REPEALED).exists()

    def test_picture_news_have_generated_images(self, demo):
        column = ColumnPage.objects.get(slug="tpxw")
        assert column.show_images
        pictures = list(column.items())
        assert len(pictures) >= 4
        for item in pictures:
            image = item.cover_image
            assert image is not None, item.title
            assert (image.width, image.height) == (800, 450)
            with image.open_file() as f:
                assert f.read(3) == b"\xff\xd8\xff"  # JPEG
        assert ArticleImage.objects.filter(page__in=pictures).count() >= 2
        assert all(row.caption for row in ArticleImage.objects.all())

    def test_attachments_are_real_documents(self, demo):
        attachments = ArticleAttachment.objects.select_related("document")
        assert attachments.count() >= 2
        policy = PolicyPage.objects.get(document_number="木政发〔2015〕12号")
        files = {a.document.file.name.rsplit(".", 1)[-1]: a.document for a in policy.attachments.all()}
        with files["pdf"].open_file() as f:
            assert f.read(5) == b"%PDF-"
        with files["txt"].open_file() as f:
            assert "木政发〔2015〕12号" in f.read().decode("utf-8-sig")

    def test_topic_collects_items_from_several_columns(self, demo):
        topic = TopicPage.objects.live().descendant_of(demo).get()
        assert topic.get_parent().title == "专题" and topic.banner is not None
        items = topic.live_items()
        assert len(items) >= 5
        assert len({item.get_parent().pk for item in items}) >= 3

    def test_department_and_township_sub_sections_with_their_editors(self, demo):
        sections = DepartmentPage.objects.live().descendant_of(demo).select_related("organisation")
        names = {s.organisation.short_name for s in sections}
        assert {"县教育局", "县民政局", "木垒镇", "西吉尔镇"} <= names
        for section in sections:
            column = ColumnPage.objects.child_of(section).get(title="工作动态")
            assert column.items().count() >= 2, section.title
            group = Group.objects.get(name=roles.department_editor_group_name(section.organisation.short_name))
            assert GroupPagePermission.objects.filter(group=group, page=section).exists()

        education = Organisation.objects.get(code="木教")
        editor = User.objects.get(username="jyj_editor")
        assert editor.organisation == education
        assert editor.groups.filter(name=roles.department_editor_group_name(education.short_name)).exists()
        reviewer = User.objects.get(username="jyj_reviewer")
        assert (
            reviewer.organisation == education
            and reviewer.groups.filter(name=roles.portal_group_name(roles.REVIEWER, content.REGION)).exists()
        )

    def test_staff_accounts_roles_and_review_workflow(self, demo):
        site_admin = User.objects.get(username="site_admin")
        assert site_admin.groups.filter(name=roles.portal_group_name(roles.SITE_ADMIN, content.REGION)).exists()
        assert not User.objects.filter(is_superuser=True).exists()  # no superuser in the demo (三员分立)
        for username, role_name in (
            ("sysadmin", roles.SYSTEM_ADMIN),
            ("secadmin", roles.SECURITY_ADMIN),
            ("auditadmin", roles.AUDIT_ADMIN),
        ):
            assert list(User.objects.get(username=username).groups.values_list("name", flat=True)) == [role_name]
        expected = {
            "county_editor": roles.PORTAL_EDITOR,
            "county_reviewer": roles.REVIEWER,
            "final_reviewer": roles.FINAL_REVIEWER,
        }
        for username, group in expected.items():
            user = User.objects.get(username=username)
            assert user.groups.filter(name=roles.portal_group_name(group, content.REGION)).exists()
            assert user.organisation is not None and str(user) != username  # has a Chinese name
        assert User.objects.get(username="county_reviewer").organisation.code == "木政"
        assert WorkflowPage.objects.get(page=demo).workflow.name == workflow_name(content.REGION)

    def test_printed_passwords_are_random_and_work(self, demo, demo_output, client):
        passwords = printed_passwords(demo_output)
        assert set(passwords) == {account.username for account in content.ACCOUNTS}
        assert len(set(passwords.values())) == len(passwords)
        for username, password in passwords.items():
            assert len(password) >= 12 and password.lower() not in ("admin", "password", username)
            assert User.objects.get(username=username).check_password(password)
        assert client.login(username="site_admin", password=passwords["site_admin"])
        # An administrator enrols an authenticator at first login (zhengtong.twofactor); the output says so.
        assert client.get("/admin/", HTTP_HOST=HOST).url.startswith("/admin/security/2fa/enrol/")
        assert client.get("/admin/security/2fa/enrol/", HTTP_HOST=HOST).status_code == 200
        assert "身份验证器" in demo_output and "TOTP" in demo_output
        # An editor, who cannot publish, goes straight in.
        assert client.login(username="county_editor", password=passwords["county_editor"])
        assert client.get("/admin/", HTTP_HOST=HOST).status_code == 200

    def test_case_handling_accounts(self, demo):
        for username, group, org in (
            ("hotline_operator", roles.CASE_REGISTRAR, content.OFFICE_CODE),
            ("zjj_case_clerk", roles.CASE_HANDLER, "木建"),
            ("zjj_case_reviewer", roles.REPLY_REVIEWER, "木建"),
            ("jyj_case_clerk", roles.CASE_HANDLER, "木教"),
            ("jyj_case_reviewer", roles.REPLY_REVIEWER, "木教"),
            ("case_supervisor", roles.CASE_SUPERVISOR, content.OFFICE_CODE),
        ):
            user = User.objects.get(username=username)
            assert list(user.groups.values_list("name", flat=True)) == [group]
            assert user.organisation.code == org

    def test_demo_cases_in_varied_states_with_marks_from_today(self, demo, demo_output, client):
        today = timezone.localdate()
        cases = list(Case.objects.all())
        assert len(cases) >= 12
        marks = {_mark(case, today) for case in cases}
        assert {deadlines.SOON, deadlines.OVERDUE, deadlines.PAUSED, deadlines.NORMAL, deadlines.ON_TIME} <= marks
        statuses = {case.status for case in cases}
        assert {Status.RECEIVED, Status.ASSIGNED, Status.REVIEWING, Status.REPLIED, Status.CLOSED} <= statuses
        assert {case.kind for case in cases} == {"mailbox", "hotline", "consultation", "disclosure"}
        for case in cases:  # the fields kept on each case agree with its timeline
            state = services.state_of(case)
            assert (case.status, case.organisation_id, case.rating) == (
                state.status,
                state.organisation_id,
                state.rating,
            )
            assert case.applicant.phone
        assert CaseEvent.objects.filter(kind=Event.TRANSFERRED, outcome="").exclude(case__kind="hotline").exists()
        assert Case.objects.filter(kind="mailbox", rating="satisfied").exists()
        operator = User.objects.get(username="hotline_operator")
        queues = hotline.operator_queues(operator)
        assert all(queues[key].exists() for key in ("dispatch", "returned", "call_back"))
        assert Case.objects.filter(kind="hotline", status=Status.CLOSED, rating=Rating.BASICALLY_SATISFIED).exists()
        assert Case.objects.filter(kind="hotline", category="urgent", due_on=today).exists()
        # The reply waiting for review is the housing reviewer's to approve.
        waiting = Case.objects.get(status=Status.REVIEWING)
        assert Event.REPLIED in available_events(waiting, User.objects.get(username="zjj_case_reviewer"))
        # The printed sample answers a public lookup.
        line = next(line for line in demo_output.splitlines() if line.startswith("演示办件"))
        code, check = re.search(r"查询码 (\S+)，联系电话后 4 位 (\d{4})", line).groups()
        assert services.lookup(code, check) is not None
        response = client.get(f"/api/v1/cases/{code}", {"check": check}, HTTP_HOST=HOST)
        assert response.status_code == 200 and response.json()["status"] == Status.REPLIED

    def test_disclosure_applications_and_their_entry_from_the_county_section(self, demo, demo_output, client):
        from tests.security.targets import DISCLOSURE_PAGE
        from zhengtong.disclosure.models import DisclosureSectionPage
        from zhengtong.disclosure_requests.letters import letter_of

        applications = Case.objects.filter(kind="disclosure")
        assert {"received", "accepted", "closed", "replied"} <= set(applications.values_list("status", flat=True))
        assert applications.filter(paused=True).count() == 2  # a correction pending, a consultation
        assert {"partial", "public", "other.no_correction", "other.other"} <= set(
            applications.values_list("outcome", flat=True)
        )
        section = DisclosureSectionPage.objects.get(organisation__code=content.GOVERNMENT_CODE)
        html = client.get(section.url, HTTP_HOST=HOST).content.decode()
        entry = re.search(r'href="([^"]+)"[^>]*>在线申请', html).group(1).replace("&amp;", "&")
        form = client.get(entry, HTTP_HOST=HOST, follow=True)
        assert form.status_code == 200 and "在线提交申请" in form.content.decode()
        # The security lane's target (tests/security/targets.py) is this page's form.
        assert form.redirect_chain[-1][0] == DISCLOSURE_PAGE
        assert client.get(DISCLOSURE_PAGE + "apply/", HTTP_HOST=HOST).status_code == 200
        line = next(line for line in demo_output.splitlines() if line.startswith("演示政府信息公开申请"))
        code, check = re.search(r"查询码 (\S+)，联系电话后 4 位 (\d{4})", line).groups()
        sample = services.lookup(code, check)
        assert sample is not None and sample.outcome == "partial" and letter_of(sample) is not None
        assert sample.events.filter(kind=Event.EXTENDED).count() == 1

    def test_footer_is_marked_as_example(self, demo):
        footer = FooterSettings.for_site(Site.objects.get(root_page=demo))
        assert footer.is_example
        assert footer.sponsor == "木垒哈萨克自治县人民政府办公室"
        for value in (footer.site_code, footer.icp_number, footer.psb_number, footer.phone):
            assert "示例" in value

    def test_wording_rules_and_the_demo_texts_pass_them(self, demo):
        rules = {rule.phrase: rule for rule in WordingRule.objects.all()}
        assert rules["总书计"].correct_form == "总书记" and rules["总书计"].action == "block"
        assert rules["中共中央国务院"].action == "warn"
        assert any(rule.kind == "sensitive" and rule.action == "warn" for rule in rules.values())
        for item in ArticlePage.objects.descendant_of(demo).specific():
            assert find_hits(item.wording_text()) == [], item.title

    def test_home_and_inner_pages_render(self, demo, client):
        # Templates come from the portal app; the site answers on the host of --base-url.
        home = client.get("/", HTTP_HOST=f"{HOST}:{PORT}", SERVER_PORT=str(PORT))
        assert home.status_code == 200
        html = home.content.decode()
        assert "木垒哈萨克自治县人民政府" in html and "今日木垒" in html and "信息公开" in html
        for slug in ("wzqsjgb", "jzpx", "zcwj-2015-12", "jd-2015-12"):
            page = ArticlePage.objects.get(slug=slug)
            response = client.get(page.url, HTTP_HOST=HOST)
            assert response.status_code == 200, page.url
            assert page.title in response.content.decode()

    def test_second_run_changes_nothing_but_the_site_address(self, demo):
        before = model_counts()
        out = io.StringIO()
        call_command("load_demo", "--base-url", f"http://{HOST}:{PORT}", stdout=out)
        assert model_counts() == before
        assert "已载入" in out.getvalue() and "changepassword" in out.getvalue()
        assert not printed_passwords(out.getvalue())

        call_command("load_demo", "--base-url", "http://localhost:9000", stdout=io.StringIO())
        assert model_counts() == before
        site = Site.objects.get()
        assert (site.hostname, site.port) == ("localhost", 9000)


def test_quiet_run_hides_passwords_but_still_sets_random_ones(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    out = io.StringIO()
    call_command("load_demo", "--quiet", stdout=out)
    assert not printed_passwords(out.getvalue())
    site_admin = User.objects.get(username="site_admin")
    assert site_admin.has_usable_password() and not site_admin.check_password("admin")


def test_bad_base_url_is_refused():
    with pytest.raises(CommandError):
        call_command("load_demo", "--base-url", "127.0.0.1:8000", stdout=io.StringIO())
