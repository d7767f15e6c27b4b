"""The demo county's 信息公开: sections of the county government and two departments, offices, ~15 items.

Called by ``load_demo`` after the portal tree exists. Dates follow the rest of the demo (2014–2015); two drafts
dated from the day of loading show the 主动公开时限 list at work. Contact details are placeholders marked 示例.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.html import escape

from zhengtong.disclosure.catalog import catalog_for, subject_topics
from zhengtong.disclosure.models import DisclosureItemPage, DisclosureOffice, DisclosureSectionPage

TZ = ZoneInfo("Asia/Shanghai")
HOURS = "工作日 10:00—14:00，16:00—19:30（北京时间，示例）"


@dataclass(frozen=True)
class Office:
    code: str  # organisation code (机关代字)
    place: str  # the demo loader's key of the page the section goes under
    slug: str
    title: str
    name: str
    phone: str
    fax: str
    prefix: str


OFFICES = [
    Office(
        "木政",
        "xxgk",
        "zfxxgk",
        "县政府信息公开",
        "木垒哈萨克自治县人民政府办公室",
        "0994-4820001（示例）",
        "0994-4820002（示例）",
        "11652328000000000A",
    ),
    Office(
        "木教", "jyj", "xxgk", "县教育局信息公开", "县教育局办公室", "0994-0000001（示例）", "", "11652328000000001B"
    ),
    Office(
        "木民政", "mzj", "xxgk", "县民政局信息公开", "县民政局办公室", "0994-0000002（示例）", "", "11652328000000002C"
    ),
]


@dataclass(frozen=True)
class Item:
    org: str
    category: str
    title: str
    written: str
    published: str
    topic: str
    paragraphs: tuple[str, ...]
    number: str = ""
    repealed_on: str = ""


ITEMS = [
    Item(
        "木政",
        "01",
        "木垒哈萨克自治县人民政府关于印发《木垒县政府信息公开工作制度》的通知",
        "2014-03-10",
        "2014-03-14 10:00",
        "综合政务",
        ("各乡镇场，县直各部门、各单位：", "现将《木垒县政府信息公开工作制度》印发给你们，请认真贯彻执行。"),
        number="木政发〔2014〕8号",
    ),
    Item(
        "木政",
        "01",
        "木垒哈萨克自治县人民政府办公室关于加强政府网站信息内容建设的意见",
        "2015-02-02",
        "2015-02-09 10:00",
        "综合政务",
        ("为进一步加强县政府网站群信息内容建设，提升政府网站服务能力，提出如下意见。",),
        number="木政办发〔2015〕5号",
    ),
    Item(
        "木政",
        "01",
        "木垒县城区车辆停放管理暂行办法",
        "2014-05-06",
        "2014-05-12 11:00",
        "城乡建设、环境保护",
        ("第一条 为规范城区车辆停放秩序，制定本办法。",),
        number="木政发〔2014〕21号",
        repealed_on="2015-06-30",
    ),
    Item(
        "木政",
        "02",
        "县人民政府机构设置及职能",
        "2015-01-05",
        "2015-01-07 09:30",
        "综合政务",
        ("县人民政府设工作部门23个，各部门职能见各部门子网站“机构职能”栏目。",),
    ),
    Item(
        "木政",
        "03",
        "木垒县国民经济和社会发展第十三个五年规划编制工作方案",
        "2015-04-01",
        "2015-04-08 10:00",
        "国民经济管理、国有资产监管",
        ("为做好“十三五”规划编制工作，制定本方案。",),
        number="木政办发〔2015〕18号",
    ),
    Item(
        "木政",
        "04",
        "2014年木垒县国民经济和社会发展统计公报",
        "2015-03-20",
        "2015-03-27 10:00",
        "国民经济管理、国有资产监管",
        ("2014年，全县经济保持平稳较快发展。",),
    ),
    Item(
        "木政",
        "07",
        "木垒县2015年财政预算报告",
        "2015-01-20",
        "2015-02-02 10:00",
        "财政、金融、审计",
        ("2015年全县一般公共预算收入安排情况如下。",),
    ),
    Item(
        "木政",
        "07",
        "木垒县2013年财政决算报告",
        "2014-07-15",
        "2014-07-25 10:00",
        "财政、金融、审计",
        ("2013年全县财政决算情况报告如下。",),
    ),
    Item(
        "木政",
        "12",
        "木垒县突发地质灾害应急预案",
        "2014-04-02",
        "2014-04-11 10:00",
        "公安、安全、司法",
        ("为高效有序做好突发地质灾害应急处置工作，制定本预案。",),
        number="木政办发〔2014〕15号",
    ),
    Item(
        "木政",
        "14",
        "木垒县2015年考试录用公务员拟录用人员公示",
        "2015-07-01",
        "2015-07-03 10:00",
        "劳动、人事、监察",
        ("根据公务员录用有关规定，现将拟录用人员名单予以公示。",),
    ),
    Item(
        "木教",
        "11",
        "木垒县2015年义务教育阶段学校招生工作方案",
        "2015-06-01",
        "2015-06-05 10:00",
        "科技、教育",
        ("坚持免试就近入学原则，做好2015年义务教育阶段招生工作。",),
        number="木教发〔2015〕12号",
    ),
    Item(
        "木教",
        "02",
        "县教育局机构职能",
        "2014-02-10",
        "2014-02-12 10:00",
        "科技、教育",
        ("县教育局是县人民政府主管全县教育工作的工作部门。",),
    ),
    Item(
        "木教",
        "07",
        "县教育局2015年部门预算",
        "2015-02-10",
        "2015-02-16 10:00",
        "财政、金融、审计",
        ("县教育局2015年部门预算公开如下。",),
    ),
    Item(
        "木民政",
        "11",
        "木垒县城乡最低生活保障标准调整情况",
        "2014-09-26",
        "2014-10-16 10:00",
        "民政、扶贫、救灾",
        ("自2014年10月起，全县城乡低保标准调整如下。",),
        number="木民政发〔2014〕9号",
    ),
    Item(
        "木民政",
        "27",
        "2015年第一季度临时救助资金发放情况",
        "2015-04-03",
        "2015-04-10 10:00",
        "民政、扶贫、救灾",
        ("2015年第一季度，全县发放临时救助资金情况公示如下。",),
    ),
    Item(
        "木民政",
        "05",
        "社会团体成立登记办事指南",
        "2015-05-04",
        "2015-06-19 10:00",
        "民政、扶贫、救灾",
        ("办理依据、条件、程序和所需材料如下。",),
    ),
]

# Drafts waiting for review, dated from the day of loading: one past the 20 wd of 第26条, one near it.
DRAFTS = [
    ("木政", "05", "县政务服务中心进驻事项清单（待审核）", 40),
    ("木民政", "11", "2025年第四季度城乡低保资金发放情况（待审核）", 24),
]


def aware(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


def load_disclosure_demo(loader) -> dict[str, DisclosureSectionPage]:
    """Offices, sections and items of the demo county; ``loader`` is the ``load_demo`` DemoLoader."""
    sections: dict[str, DisclosureSectionPage] = {}
    for office in OFFICES:
        organisation = loader.orgs[office.code]
        DisclosureOffice.objects.create(
            organisation=organisation,
            name=office.name,
            address="木垒县（示例地址）",
            postcode="831900",
            office_hours=HOURS,
            phone=office.phone,
            fax=office.fax,
            email="",
            index_prefix=office.prefix,
            review_authority="昌吉回族自治州人民政府" if office.code == "木政" else "木垒哈萨克自治县人民政府",
            court="木垒哈萨克自治县人民法院",
        )
        sections[office.code] = loader.publish(
            loader.places[office.place],
            DisclosureSectionPage(
                title=office.title,
                slug=office.slug,
                organisation=organisation,
                intro="依照《中华人民共和国政府信息公开条例》主动公开本机关的政府信息。",
            ),
        )
    topics = {topic.name: topic for topic in subject_topics()}
    for index, item in enumerate(ITEMS):
        organisation = loader.orgs[item.org]
        when = aware(item.published)
        page = DisclosureItemPage(
            title=item.title,
            slug=f"gk{index + 1:03d}",
            category=catalog_for(organisation).get(code=item.category),
            topic=topics[item.topic],
            document_number=item.number,
            written_date=date.fromisoformat(item.written),
            published_date=when,
            first_published_at=when,
            body="".join(f"<p>{escape(p)}</p>" for p in item.paragraphs),
        )
        if item.repealed_on:
            page.validity = DisclosureItemPage.Validity.REPEALED
            page.validity_changed_on = date.fromisoformat(item.repealed_on)
        loader.publish(sections[item.org], page)
    today = timezone.localdate()
    for index, (code, category, title, days_ago) in enumerate(DRAFTS):
        organisation = loader.orgs[code]
        page = DisclosureItemPage(
            title=title,
            slug=f"draft{index + 1}",
            category=catalog_for(organisation).get(code=category),
            written_date=today - timedelta(days=days_ago),
            body="<p>待审核。</p>",
            owner=loader.admin,
            live=False,
        )
        sections[code].add_child(instance=page)
        page.save_revision(user=loader.admin)
    return sections
