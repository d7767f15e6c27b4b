"""Demo applications (依申请公开) for the demo county, in varied states, and the application pages.

Called by ``load_demo`` after the 信息公开 sections exist (``zhengtong.disclosure.demo``). Every step goes
through this app's services with dates counted back from today in working days, so the lists (due soon,
overdue, corrections pending, consultation) show something whenever the demo is loaded.
"""

from django.contrib.auth import get_user_model

from zhengtong.casework.demo import _Timeline, workdays_ago
from zhengtong.casework.models import Channel
from zhengtong.core.pdf import fonts_available
from zhengtong.core.workdays import add_workdays
from zhengtong.disclosure_requests import services
from zhengtong.disclosure_requests.models import DisclosureApplicationPage

GOVERNMENT = "木政"
CLERK, HEAD = "gk_clerk", "gk_head"  # accounts in portal.demo_content.ACCOUNTS
SAMPLE_PHONE = "13899956789"  # the lookup sample: the partly disclosed application, code + last four digits


def person(name: str, id_number: str, phone: str, **extra) -> dict:
    return {"kind": "natural", "name": name, "id_number": id_number, "phone": phone, **extra}


def load_application_demo(loader, sections: dict) -> list:
    """Application pages under each section, and the county government's demo applications."""
    for code, section in sections.items():
        loader.publish(
            section,
            DisclosureApplicationPage(
                title="依申请公开", slug="ysqgk", organisation=loader.orgs[code], intro="向本机关申请获取政府信息。"
            ),
        )
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[CLERK, HEAD])}
    clerk, head = users[CLERK], users[HEAD]
    org = loader.orgs[GOVERNMENT]
    t = _Timeline()
    cases = []

    def apply(description, days_ago, applicant, **values):
        case = services.apply(
            organisation=org,
            description=description,
            applicant=applicant,
            received_at=t.at(days_ago, 9),
            **values,
        )
        cases.append(case)
        return case

    # Just in, waiting for review (the 7-wd correction notice window is running).
    apply("县城2025年度公共租赁住房分配名单及分配标准", 1, person("李建华", "11010519491231002X", "13899950001"))
    # Due soon: accepted 17 wd ago, no pause.
    soon = apply(
        "木垒县2024年度农村饮水安全工程项目清单及资金拨付情况",
        17,
        {
            "kind": "commercial",
            "name": "木垒县某建设工程有限公司",
            "credit_code": "91350100M000100Y43",
            "contact": "王经理",
            "phone": "13899950002",
        },
        channel=Channel.IN_PERSON,
        actor=clerk,
    )
    services.casework.record_event(soon, "accepted", actor=clerk, at=t.at(16, 10))
    # Overdue: received 24 wd ago, still being handled.
    late = apply("县第一中学2025年食堂承包合同", 24, person("吴静", "11010519491231002X", "13899950008"))
    services.casework.record_event(late, "accepted", actor=clerk, at=t.at(23, 10))
    # Correction pending: unclear request, notice sent 3 wd after receipt, time given runs 10 more days.
    unclear = apply("关于我家拆迁的所有文件", 6, person("马国庆", "11010519491231002X", "13899950003"))
    notice_day = workdays_ago(3, t.today)
    services.request_correction(
        unclear,
        actor=clerk,
        text="请写明所需文件的名称、文号或者所涉及的项目名称、地块位置，以便查询。",
        due_on=add_workdays(notice_day, 15).date,
        day=notice_day,
        at=t.at(3, 11),
    )
    # Third-party consultation (第32条): the clock is paused.
    consulted = apply(
        "县城区供热特许经营协议及其补充协议",
        12,
        {
            "kind": "legal_service",
            "name": "新疆某律师事务所",
            "credit_code": "91350100M000100Y43",
            "contact": "赵律师",
            "phone": "13899950004",
        },
    )
    services.casework.record_event(consulted, "accepted", actor=clerk, at=t.at(11, 10))
    services.start_consultation(
        consulted, actor=clerk, consulted="县热力公司（协议相对方）", day=workdays_ago(4, t.today), at=t.at(4, 10)
    )
    # Withdrawn by the applicant online.
    gone = apply("县人民医院2025年采购CT设备的招标文件", 9, person("周敏", "11010519491231002X", "13899950005"))
    services.withdraw(gone, reason="已从政府采购网获取。", at=t.at(5, 15))
    # No correction in time (第30条) → other.no_correction.
    lapsed = apply("有关部门的文件", 40, person("孙立", "11010519491231002X", "13899950006"))
    services.request_correction(
        lapsed,
        actor=clerk,
        text="请写明所需文件名称或文号。",
        due_on=workdays_ago(25, t.today),
        day=workdays_ago(37, t.today),
        at=t.at(37, 10),
    )
    services.end_without_correction(lapsed, day=workdays_ago(24, t.today), at=t.at(24, 8))
    if fonts_available():  # the replies carry their PDF letter
        # The done-when path: correction, corrected, extension, partial disclosure — the lookup sample.
        sample = apply("县城老旧小区改造项目资金安排", 45, person("张晓燕", "11010519491231002X", SAMPLE_PHONE))
        services.request_correction(
            sample,
            actor=clerk,
            text="请写明所需信息的年度和小区范围。",
            due_on=workdays_ago(30, t.today),
            day=workdays_ago(43, t.today),
            at=t.at(43, 10),
        )
        services.receive_correction(
            sample,
            actor=clerk,
            day=workdays_ago(40, t.today),
            at=t.at(40, 10),
            note="申请人补正：2025年度县城区12个老旧小区改造项目的资金安排文件。",
        )
        services.casework.record_event(sample, "accepted", actor=clerk, at=t.at(40, 11))
        services.extend(sample, actor=head, days=10, reason="涉及多个部门的资金文件，需要调取和核对。", at=t.at(21, 10))
        services.reply(
            sample,
            actor=head,
            outcome="partial",
            text="资金安排文件予以公开，见附件说明；其中涉及个人信息的拆迁补偿明细依条例第十五条不予公开。",
            at=t.at(15, 16),
        )
        public = apply(
            "木垒县2025年政府工作报告",
            8,
            person("刘洋", "11010519491231002X", "13899950007"),
            channel=Channel.POST,
            actor=clerk,
        )
        services.reply(
            public,
            actor=head,
            outcome="public",
            text="您申请的信息已经主动公开。",
            where_public="县人民政府门户网站“信息公开—政府工作报告”栏目",
            at=t.at(2, 16),
        )
        loader.disclosure_sample = sample
    return cases
