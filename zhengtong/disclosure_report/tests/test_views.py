"""The admin editor (live table 三, invariant per column, save, publish, withdraw), the public pages, reminders."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from freezegun import freeze_time

from zhengtong.audit.models import AuditRecord
from zhengtong.casework import services as casework
from zhengtong.casework.workflow import Event
from zhengtong.core.models import User
from zhengtong.core.pdf import pdf_text
from zhengtong.disclosure_report import services
from zhengtong.disclosure_report.checks import check_report_deadlines
from zhengtong.disclosure_report.models import AnnualReport
from zhengtong.twofactor.testing import login_verified

from .conftest import YEAR, apply, reply

pytestmark = pytest.mark.django_db

FORM = {
    "overview": "本年度主动公开信息 120 条。",
    "problems": "公开内容还不够全面。",
    "other_matters": "无。",
    "fee_amount": "0",
    **{
        name: "0"
        for name in [
            "rules_made",
            "rules_repealed",
            "rules_in_force",
            "normative_made",
            "normative_repealed",
            "normative_in_force",
            "licensing_decisions",
            "penalty_decisions",
            "enforcement_decisions",
        ]
    },
    **{
        f"{g}_{r}": "0"
        for g in ("review", "litigation_direct", "litigation_after_review")
        for r in ("upheld", "corrected", "other", "pending")
    },
}


def edit_url(org, year=YEAR, name="disclosure_report_edit"):
    return reverse(name, kwargs={"org_pk": org.pk, "year": year})


def staff(organisation, *perms, username="clerk"):
    user = User.objects.create_user(username=username, password="x", organisation=organisation)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for perm in perms:
        user.user_permissions.add(Permission.objects.get(codename=perm))
    return user


def test_editor_shows_live_table_three_and_saves_the_office_part(admin_client, education, applications):
    page = admin_client.get(edit_url(education))
    assert page.status_code == 200
    html = page.content.decode()
    assert "一、本年新收政府信息公开申请数量" in html and "✔ 平衡" in html and "✘" not in html
    response = admin_client.post(edit_url(education), {**FORM, "licensing_decisions": "35", "review_upheld": "1"})
    assert response.status_code == 302
    report = AnnualReport.objects.get(organisation=education, year=YEAR)
    assert report.licensing_decisions == 35 and report.review_upheld == 1 and report.status == "draft"
    assert AuditRecord.objects.filter(action="disclosure_report.create").exists()


def test_bad_figures_are_refused_in_chinese_and_nothing_is_lost(admin_client, education):
    AnnualReport.objects.create(organisation=education, year=YEAR, overview="原有的总体情况", licensing_decisions=3)
    response = admin_client.post(edit_url(education), {**FORM, "licensing_decisions": "-1", "overview": "新的"})
    assert response.status_code == 400
    assert "有填写错误" in response.content.decode()
    report = AnnualReport.objects.get(organisation=education, year=YEAR)
    assert report.overview == "原有的总体情况" and report.licensing_decisions == 3


def test_publication_is_refused_while_a_column_breaks_the_invariant(admin_client, education, applications):
    case = apply(education, date(YEAR, 3, 2), "charity")
    casework.record_event(case, Event.REJECTED, day=date(YEAR, 3, 3))  # no table 三 outcome
    AnnualReport.objects.create(organisation=education, year=YEAR)
    page = admin_client.get(edit_url(education)).content.decode()
    assert "✘ 不平衡" in page and reverse("casework_detail", args=[case.pk]) in page
    response = admin_client.post(edit_url(education, name="disclosure_report_publish"), follow=True)
    text = response.content.decode()
    assert "表三“社会公益组织、总计”列不平衡" in text
    assert AnnualReport.objects.get(organisation=education, year=YEAR).status == "draft"
    assert AuditRecord.objects.filter(action="disclosure_report.publish", result="failure").exists()


def test_published_report_is_frozen_public_and_downloadable(admin_client, client, education, applications):
    admin_client.post(edit_url(education), FORM)
    response = admin_client.post(edit_url(education, name="disclosure_report_publish"))
    assert response.status_code == 302
    report = AnnualReport.objects.get(organisation=education, year=YEAR)
    assert report.is_published and report.published_at and report.snapshot["table_three"]["received"]["total"] == 6
    assert AuditRecord.objects.filter(action="disclosure_report.publish", result="success").exists()

    # An old case concluded later (back-dated into the year) changes the live table, not the published report.
    reply(applications["open"], date(YEAR, 12, 30), "public")
    assert services.live_data(report)["table_three"]["public"]["total"] == 2
    page = client.get(f"/xxgk/ndbg/木教/{YEAR}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "木垒县教育局2025年政府信息公开工作年度报告" in html
    assert '<th scope="row" colspan="2">（一）予以公开</th><td class="num">1</td>' in html
    pdf = client.get(f"/xxgk/ndbg/木教/{YEAR}.pdf")
    assert pdf["Content-Type"] == "application/pdf" and "（一）予以公开1" in pdf_text(pdf.content)
    data = client.get(f"/xxgk/ndbg/木教/{YEAR}.json").json()
    assert data["三"]["三、本年度办理结果"]["（一）予以公开"]["总计"] == 1
    listing = client.get("/xxgk/ndbg/木教/").content.decode()
    assert f"/xxgk/ndbg/%E6%9C%A8%E6%95%99/{YEAR}/" in listing or f"/xxgk/ndbg/木教/{YEAR}/" in listing

    # Published: the office's part is read-only until the report is withdrawn, with a reason, for correction.
    admin_client.post(edit_url(education), {**FORM, "overview": "改过的"})
    assert AnnualReport.objects.get(pk=report.pk).overview == FORM["overview"]
    admin_client.post(edit_url(education, name="disclosure_report_unpublish"), {"reason": ""})
    assert AnnualReport.objects.get(pk=report.pk).is_published
    admin_client.post(edit_url(education, name="disclosure_report_unpublish"), {"reason": "更正表二数字"})
    assert not AnnualReport.objects.get(pk=report.pk).is_published
    assert client.get(f"/xxgk/ndbg/木教/{YEAR}/").status_code == 404
    assert AuditRecord.objects.filter(action="disclosure_report.unpublish").exists()


def test_drafts_are_not_public(client, education):
    AnnualReport.objects.create(organisation=education, year=YEAR)
    assert client.get(f"/xxgk/ndbg/木教/{YEAR}/").status_code == 404
    assert client.get(f"/xxgk/ndbg/木教/{YEAR}.pdf").status_code == 404
    assert "还没有发布年度报告" in client.get("/xxgk/ndbg/木教/").content.decode()


def test_staff_edit_their_own_organisation_and_need_the_permission_to_publish(client, county, education, housing):
    user = staff(housing, "change_annualreport")
    login_verified(client, user)
    assert client.get(edit_url(housing)).status_code == 200
    assert client.get(edit_url(education)).status_code == 404
    client.post(edit_url(housing), FORM)
    refused = client.post(edit_url(housing, name="disclosure_report_publish"))  # Wagtail: back to the dashboard
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    assert not AnnualReport.objects.get(organisation=housing, year=YEAR).is_published
    user.user_permissions.add(Permission.objects.get(codename="publish_annualreport"))
    client.post(edit_url(housing, name="disclosure_report_publish"))
    assert AnnualReport.objects.get(organisation=housing, year=YEAR).is_published


def test_without_the_permission_the_screens_are_closed(client, education):
    login_verified(client, staff(education))
    for url in (reverse("disclosure_report_index"), edit_url(education)):
        refused = client.get(url)  # Wagtail sends a refused admin user back to the dashboard with a message
        assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    client.post(edit_url(education), FORM)
    assert not AnnualReport.objects.exists()


def test_deadlines_follow_articles_49_and_50(county, education):
    assert services.deadline(education, YEAR) == date(YEAR + 1, 1, 31)
    assert services.deadline(county, YEAR) == date(YEAR + 1, 3, 31)


@freeze_time("2026-01-21 10:00:00")
def test_dashboard_panel_lists_reports_not_yet_published(admin_client, county, education, housing):
    AnnualReport.objects.create(organisation=housing, year=YEAR, status="published")
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "政府信息公开工作年度报告待发布" in html
    assert "木垒县教育局2025年度报告" in html and "发布期限 2026-01-31，还剩 10 天" in html
    assert "木垒县人民政府2025年度报告" in html and "发布期限 2026-03-31" in html
    assert "木垒县住房和城乡建设局2025年度报告" not in html
    assert check_report_deadlines() == []  # nothing overdue yet


@freeze_time("2026-02-03 10:00:00")
def test_check_warns_after_the_deadline(admin_client, county, education):
    messages = check_report_deadlines()
    assert [m.id for m in messages] == ["zhengtong.W850"]
    assert "木垒县教育局" in messages[0].msg and "木垒县人民政府" not in messages[0].msg
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "已超过发布期限（2026-01-31）3 天" in html


def test_index_picks_organisation_and_year_and_the_menu_leads_there(admin_client, education):
    index = reverse("disclosure_report_index")
    assert index in admin_client.get(reverse("wagtailadmin_home")).content.decode()  # 信息公开 → 年度报告
    response = admin_client.get(index, {"organisation": education.pk, "year": YEAR})
    assert response.status_code == 302 and response.url == edit_url(education)
    page = admin_client.get(index, {"organisation": education.pk, "year": 2999})
    assert page.status_code == 200 and "不能为尚未开始的年度编写年度报告" in page.content.decode()


def test_zt_check_names_the_section():
    from zhengtong.hardening.management.commands.zt_check import section_of

    assert section_of("zhengtong.W850") == "信息公开年度报告"
    assert section_of("zhengtong.W802") == "办件期限"


def test_public_page_inside_a_county_portal(client, portal):
    report = AnnualReport.objects.create(organisation=portal.department, year=YEAR, overview="总体情况第一段。")
    services.publish(report, None)
    code = portal.department.code
    page = client.get(f"/xxgk/ndbg/{code}/{YEAR}/", HTTP_HOST="portal.test")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<a class="skip-link" href="#main">' in html  # the portal's own frame, site search and footer
    assert f'<h1 id="zt-report-title">{portal.department.name}{YEAR}年政府信息公开工作年度报告</h1>' in html
    pdf_url = reverse("disclosure_report_pdf", kwargs={"code": code, "year": YEAR})
    assert "disclosure_report/report.css" in html and pdf_url in html
    listing = client.get(f"/xxgk/ndbg/{code}/", HTTP_HOST="portal.test").content.decode()
    assert f"{YEAR}年度报告" in listing
