"""The demo county's interaction pages and a few published letters (called by ``portal``'s ``load_demo``)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from zhengtong.casework import services as casework
from zhengtong.casework.workflow import Event, Rating
from zhengtong.interaction import services
from zhengtong.interaction.models import InteractionPage


@dataclass(frozen=True)
class DemoPage:
    parent: str  # key in the loader's places
    slug: str
    title: str
    channel: str
    organisation: str  # organisation code
    intro: str


PAGES = [
    DemoPage(
        "zmhd",
        "xzxx",
        "县长信箱",
        "mailbox",
        "木政办",  # the county government office registers the magistrate's letters and passes them on
        "欢迎您给县长写信，反映问题、提出意见建议。来信由县人民政府办公室登记、转交承办单位办理，"
        "一般 5 个工作日内答复，情况复杂的 15 个工作日内答复。",
    ),
    DemoPage(
        "zmhd",
        "zwzx",
        "政务咨询",
        "consultation",
        "木政办",
        "对政策、办事流程有疑问，可以在这里咨询，承办部门 5 个工作日内答复。",
    ),
    DemoPage(
        "jyj",
        "jyjxx",
        "局长信箱",
        "mailbox",
        "木教",
        "县教育局局长信箱：反映教育方面的问题，提出意见建议。",
    ),
]


@dataclass(frozen=True)
class DemoLetter:
    page: str  # slug of a demo page
    category: str
    subject: str
    content: str
    name: str
    phone: str
    received: int  # working days before the day the demo is loaded
    reply: str
    replied: int
    rating: str


LETTERS = [
    DemoLetter(
        "xzxx",
        "suggestion",
        "建议在县城东环路增设公交站点",
        "东环路沿线新建了两个小区，住户很多，但最近的公交站要走一公里多，老人孩子出行不便。"
        "建议在东环路与团结路交叉口附近增设公交站点。我的电话是13899904321，欢迎回访。",
        "马建国",
        "13899904321",
        30,
        "马先生您好：您的建议已转县交通运输局研究。经实地查看，东环路与团结路交叉口具备设站条件，"
        "县交通运输局已调整2路公交线路，在该处增设“东环路站”，自11月1日起启用。感谢您对县城建设的关心。",
        24,
        Rating.SATISFIED,
    ),
    DemoLetter(
        "xzxx",
        "consult",
        "城乡居民医保缴费时间咨询",
        "请问2027年度城乡居民医疗保险什么时候开始缴费？可以在手机上缴吗？",
        "哈力木拉提·努尔兰",
        "13999911234",
        17,
        "您好：2027年度城乡居民基本医疗保险集中缴费期为2026年9月1日至12月31日，"
        "可通过“新疆税务”微信公众号、手机银行或到乡镇（社区）便民服务中心缴费。如有疑问可咨询县医保局。",
        15,
        Rating.BASICALLY_SATISFIED,
    ),
    DemoLetter(
        "jyjxx",
        "help",
        "孩子转学需要哪些材料",
        "我们一家从奇台县搬到木垒镇居住，孩子上小学三年级，想转到木垒镇第一小学，需要准备哪些材料？",
        "李秀英",
        "13579246810",
        55,
        "李女士您好：办理转学需准备户口簿或居住证、原学校学籍信息，到转入学校提出申请，"
        "由学校通过全国中小学生学籍信息管理系统办理转学手续。木垒镇第一小学教务处电话 0994-4822000（示例）。",
        52,
        "",
    ),
]


def load(places: dict, orgs: dict, publish, admin) -> dict[str, InteractionPage]:
    """Create the demo pages under ``places`` and publish the demo letters; returns the pages by slug."""
    pages = {}
    for demo in PAGES:
        pages[demo.slug] = publish(
            places[demo.parent],
            InteractionPage(
                title=demo.title,
                slug=demo.slug,
                channel=demo.channel,
                organisation=orgs[demo.organisation],
                intro=demo.intro,
            ),
        )
    for letter in LETTERS:
        _letter(pages[letter.page], letter, admin)
    return pages


def _letter(page: InteractionPage, letter: DemoLetter, admin) -> None:
    from zhengtong.casework.demo import workdays_ago

    today = timezone.localdate()
    received, replied = workdays_ago(letter.received, today), workdays_ago(letter.replied, today)
    received_at = timezone.make_aware(datetime.combine(received, time(10, 0)))
    replied_at = timezone.make_aware(datetime.combine(replied, time(16, 0)))
    case = casework.submit(
        page.channel,
        category=letter.category,
        subject=letter.subject,
        content=letter.content,
        organisation=page.organisation,
        received_at=received_at,
        actor_label=services.WRITER,
        applicant={"name": letter.name, "phone": letter.phone},
        publish_consent=True,
    )
    accepted_at = received_at + timedelta(hours=1)
    casework.record_event(case, Event.ACCEPTED, actor=admin, day=received, at=accepted_at)
    casework.record_event(case, Event.REPLY_DRAFTED, actor=admin, day=replied, at=replied_at, note=letter.reply)
    replied_at += timedelta(minutes=30)
    casework.record_event(case, Event.REPLIED, actor=admin, day=replied, at=replied_at, note=letter.reply)
    if letter.rating:
        rated_at = replied_at + timedelta(hours=2)
        casework.record_event(
            case, Event.RATED, actor_label=services.WRITER, day=replied, at=rated_at, rating=letter.rating
        )
    draft = services.draft_publication(case)
    services.publish(case, subject=draft.subject, content=draft.content, reply=draft.reply, actor=admin)
