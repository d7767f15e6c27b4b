"""Demo cases for the demo county: letters, hotline orders and a consultation in varied states.

Everything goes through the kernel (``services.submit``, ``services.record_event``, ``hotline``) with real
timelines dated back from today in working days, so the yellow and red marks are right whenever the demo
is loaded. ``zhengtong.portal`` 's ``load_demo`` calls ``load_demo_cases`` after creating the accounts.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from zhengtong.casework import hotline, services
from zhengtong.casework.models import Case, Channel
from zhengtong.casework.workflow import Event, Rating
from zhengtong.core.workdays import is_workday, workdays_between

OFFICE, HOUSING, EDUCATION = "木政办", "木建", "木教"

# Demo staff: (username, last name, first name, organisation code, role group, role shown). The accounts
# themselves are made by load_demo with the others (portal.demo_content.ACCOUNTS).
OPERATOR = "hotline_operator"
HOUSING_CLERK, HOUSING_REVIEWER = "zjj_case_clerk", "zjj_case_reviewer"
EDUCATION_CLERK, EDUCATION_REVIEWER = "jyj_case_clerk", "jyj_case_reviewer"
SUPERVISOR = "case_supervisor"
SAMPLE_PHONE = "13899951234"  # the lookup sample: code + last four digits


@dataclass
class DemoCases:
    cases: list[Case] = field(default_factory=list)
    sample: Case | None = None

    @property
    def sample_check(self) -> str:
        return SAMPLE_PHONE[-4:]


def workdays_ago(n: int, today: date) -> date:
    """A working day ``n`` working days before ``today`` (``today`` itself for 0)."""
    if n == 0:
        return today
    day = today
    while workdays_between(day, today) < n:
        day -= timedelta(days=1)
    while not is_workday(day):  # a receipt on the working day itself, not the weekend before it
        day -= timedelta(days=1)
    return day


class _Timeline:
    """Moments on the demo's days; today's never lie in the future."""

    def __init__(self):
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)

    def at(self, days_ago: int, hour: int, minute: int = 0) -> datetime:
        day = workdays_ago(days_ago, self.today)
        if days_ago == 0:
            # Today's hours squeezed into the part of today already past, in order: whenever the demo is
            # loaded, today's events lie between midnight and now, and a later hour stays later.
            midnight = timezone.make_aware(datetime.combine(self.today, time(0, 0)))
            return midnight + (self.now - midnight) * ((hour * 60 + minute) / (24 * 60))
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def load_demo_cases(orgs: dict, users: dict) -> DemoCases:
    """Create the demo cases; ``orgs`` by organisation code, ``users`` by username."""
    t = _Timeline()
    office, housing, education = orgs[OFFICE], orgs[HOUSING], orgs[EDUCATION]
    operator, supervisor = users[OPERATOR], users[SUPERVISOR]
    h_clerk, h_reviewer = users[HOUSING_CLERK], users[HOUSING_REVIEWER]
    e_clerk, e_reviewer = users[EDUCATION_CLERK], users[EDUCATION_REVIEWER]
    result = DemoCases()

    def letter(subject, content, days_ago, hour, *, category="help", name, phone, kind="mailbox", org=office):
        case = services.submit(
            kind,
            subject=subject,
            content=content,
            organisation=org,
            category=category,
            channel=Channel.WEB,
            received_at=t.at(days_ago, hour),
            actor_label="来信人",
            applicant={"name": name, "phone": phone},
        )
        result.cases.append(case)
        return case

    def call(subject, content, days_ago, hour, *, category, name, phone):
        case = services.submit(
            "hotline",
            subject=subject,
            content=content,
            organisation=office,
            category=category,
            channel=Channel.PHONE,
            received_at=t.at(days_ago, hour),
            actor=operator,
            applicant={"name": name, "phone": phone},
        )
        result.cases.append(case)
        return case

    def event(case, kind, days_ago, hour, actor, **values):
        return services.record_event(case, kind, actor=actor, at=t.at(days_ago, hour), **values)

    def route(case, to, days_ago, hour):
        """The mailbox office accepts a letter and transfers it to the department responsible."""
        event(case, Event.ACCEPTED, days_ago, hour, operator)
        note = f"请{to.short_name}办理并答复来信人。"
        event(case, Event.TRANSFERRED, days_ago, hour + 1, operator, organisation=to, note=note)

    # 1. Just received (today), waiting for screening.
    letter(
        "建议在县城增设公共自行车租赁点",
        "县城主要街道之间距离不远，建议在人民广场、汽车站、县医院附近设置公共自行车租赁点，方便群众绿色出行。",
        0,
        9,
        category="suggestion",
        name="王建华",
        phone="13899950001",
    )
    # 2. Assigned to a clerk in the housing bureau.
    case = letter(
        "小区二次供水水压不足",
        "民生小区 5 号楼 6 层以上每天早晚用水高峰水压很低，热水器无法启动，请协调解决。",
        2,
        10,
        name="刘淑芬",
        phone="13899950002",
    )
    route(case, housing, 2, 11)
    event(case, Event.ASSIGNED, 1, 9, h_reviewer, organisation=housing, handler=h_clerk)
    # 3. A reply drafted, waiting for review.
    case = letter(
        "老旧小区改造何时开工",
        "听说今年县里要改造一批老旧小区，请问团结路片区是否在内，什么时候开工？",
        4,
        9,
        category="consult",
        name="赵永福",
        phone="13899950003",
    )
    route(case, housing, 4, 10)
    event(case, Event.ASSIGNED, 3, 9, h_reviewer, handler=h_clerk)
    event(
        case,
        Event.REPLY_DRAFTED,
        0,
        8,
        h_clerk,
        note="团结路片区已列入今年老旧小区改造计划，预计下月中旬开工，施工前将在小区张贴公告。",
    )
    # 4. Replied and rated: the lookup sample.
    case = letter(
        "孩子转学手续怎么办理",
        "我家孩子今年随父母从昌吉市转回木垒县上三年级，请问转学需要哪些材料、到哪里办理？",
        9,
        16,
        category="consult",
        name="阿依努尔",
        phone=SAMPLE_PHONE,
    )
    route(case, education, 8, 9)
    event(case, Event.ASSIGNED, 8, 15, e_reviewer, handler=e_clerk)
    answer = (
        "您好！义务教育阶段转学请携带户口簿、居住证明和原学校学籍信息，到拟转入学校提出申请，"
        "学校核实学位后在全国中小学生学籍信息管理系统中办理转学，无需到教育局。咨询电话：0994-4821234。"
    )
    event(case, Event.REPLY_DRAFTED, 6, 10, e_clerk, note=answer)
    event(case, Event.REPLIED, 5, 11, e_reviewer, note=answer)
    services.record_event(
        case, Event.RATED, actor_label="来信人", rating=Rating.SATISFIED, at=t.at(4, 20), note="答复很清楚，谢谢！"
    )
    result.sample = case
    # 5. Near its deadline (yellow): 5 wd, received 4 wd ago.
    case = letter(
        "路灯长期不亮",
        "东城区幸福路从十字路口到加油站一段路灯已经一个多月不亮，晚上行人很不安全。",
        4,
        15,
        name="马国庆",
        phone="13899950005",
    )
    route(case, housing, 3, 9)
    # 6. Past its deadline (red): 5 wd, received 8 wd ago.
    case = letter(
        "学校周边校车停放混乱",
        "县第二小学门口放学时校车和接送车辆乱停，堵塞道路，存在安全隐患。",
        8,
        11,
        category="complaint",
        name="努尔江",
        phone="13899950006",
    )
    route(case, education, 7, 10)
    event(case, Event.ASSIGNED, 7, 16, e_reviewer, handler=e_clerk)
    event(case, Event.REMINDED, 1, 10, supervisor, note="已超过答复期限，请于今日内答复。")
    # 7. Paused: waiting for the writer's documents.
    case = letter(
        "房屋产权证办理遇到困难",
        "我家 2012 年购买的安置房至今未办下房产证，请帮助了解原因。",
        6,
        9,
        name="李桂兰",
        phone="13899950007",
    )
    route(case, housing, 6, 10)
    event(
        case, Event.PAUSED, 3, 11, h_clerk, note="已电话联系来信人，请其补充购房合同和安置协议复印件，收到后恢复计时。"
    )
    # 8. Transferred from the education bureau to the housing bureau.
    case = letter(
        "幼儿园旁建筑工地噪音扰民",
        "县第一幼儿园旁边的工地中午也在施工，噪音很大，影响孩子午休。",
        3,
        10,
        category="complaint",
        name="孙丽娟",
        phone="13899950008",
    )
    route(case, education, 3, 11)
    event(case, Event.TRANSFERRED, 1, 10, e_reviewer, organisation=housing, note="属建筑施工管理，转县住建局办理。")
    # 9. A consultation to the education bureau, answered after review.
    case = letter(
        "高中学生资助政策咨询",
        "请问县里对家庭困难的高中学生有哪些资助？怎么申请？",
        3,
        9,
        kind="consultation",
        category="consult",
        name="叶尔兰",
        phone="13899950009",
        org=education,
    )
    event(case, Event.ACCEPTED, 3, 10, e_clerk)
    reply = "普通高中国家助学金每生每年 2000 元，另免除学杂费。请在开学后向所在学校提出申请，由学校审核上报。"
    event(case, Event.REPLY_DRAFTED, 2, 10, e_clerk, note=reply)
    event(case, Event.REPLIED, 1, 15, e_reviewer, note=reply)

    # Hotline orders (县长专线).
    # 10. Just taken, waiting to be dispatched.
    call(
        "小区供暖温度不达标",
        "来电人反映康居小区 12 号楼室内温度只有 14 度左右，请求督促供热公司处理。",
        0,
        9,
        category="complaint",
        name="杨秀英",
        phone="13899950010",
    )
    # 11. Urgent, dispatched at once: due today.
    case = call(
        "人民路路面塌陷",
        "来电人反映人民路与文化路交叉口东侧路面塌陷约一米见方，已有车辆险些掉入，请立即处置。",
        0,
        10,
        category="urgent",
        name="哈力木",
        phone="13899950011",
    )
    hotline.dispatch(case, housing, actor=operator, note="紧急，请立即设置警示并抢修。", at=t.at(0, 10, 20))
    # 12. Dispatched to the housing bureau, being handled.
    case = call(
        "物业擅自提高收费标准",
        "来电人反映锦绣家园物业未经业主大会同意将物业费由每平方米 0.8 元提高到 1.2 元。",
        3,
        11,
        category="complaint",
        name="陈志刚",
        phone="13899950012",
    )
    hotline.dispatch(case, housing, actor=operator, at=t.at(3, 14))
    event(case, Event.ASSIGNED, 2, 10, h_reviewer, handler=h_clerk)
    # 13. Returned (退单) by the education bureau: not its business.
    case = call(
        "自来水管道破裂",
        "来电人反映南街小学门前自来水管道破裂，路面积水结冰。",
        1,
        9,
        category="help",
        name="古丽巴哈尔",
        phone="13899950013",
    )
    hotline.dispatch(case, education, actor=operator, at=t.at(1, 9, 30))
    hotline.return_order(
        case, actor=e_clerk, reason="供水管道不属教育局职责，请改派县水利局或供水公司。", at=t.at(1, 11)
    )
    # 14. Replied, waiting for the call-back.
    case = call(
        "幼儿园报名时间咨询",
        "来电人咨询县城公办幼儿园秋季报名时间和所需材料。",
        2,
        10,
        category="consult",
        name="周敏",
        phone="13899950014",
    )
    hotline.dispatch(case, education, actor=operator, at=t.at(2, 10, 30))
    event(case, Event.REPLIED, 1, 11, e_clerk, note="已电话答复：每年 6 月中旬报名，需户口簿、疫苗接种证明。")
    # 15. Supervised, replied, closed, called back and rated.
    case = call(
        "拆迁补偿款迟迟未发放",
        "来电人反映其房屋 2025 年因道路拓宽被征收，补偿款至今未全部到位。",
        10,
        9,
        category="complaint",
        name="吐尔逊",
        phone="13899950015",
    )
    hotline.dispatch(case, housing, actor=operator, at=t.at(10, 10))
    event(case, Event.SUPERVISED, 6, 9, supervisor, note="群众反映强烈，请住建局 3 个工作日内答复。")
    event(case, Event.REPLIED, 5, 16, h_clerk, note="经核实，剩余补偿款已于本周拨付到来电人账户。")
    event(case, Event.CLOSED, 4, 10, operator)
    hotline.call_back(
        case,
        actor=operator,
        reached=True,
        rating=Rating.BASICALLY_SATISFIED,
        note="来电人确认已收到补偿款，希望以后及时发放。",
        at=t.at(3, 15),
    )
    return result
