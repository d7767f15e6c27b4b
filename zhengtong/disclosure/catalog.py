"""The disclosure catalog (目录): categories per organisation, preset from the law, and the subject topics.

政府信息公开条例 (2019) 第20条 lists fifteen kinds of information every administrative body discloses on its own
initiative; 第21条 adds what county governments and their departments, and townships, disclose according to local
circumstances. The platform keeps that list once (organisation ``NULL``: the platform preset, editable by the
platform's administrators) and copies it to an organisation the first time its catalog is used; from then on the
organisation edits its own copy (add, rename, reorder, deactivate). A category that items use is never deleted
(the items' foreign key protects it): deactivate it instead.
"""

from dataclasses import dataclass

from django.db import transaction

from zhengtong.core.models import Organisation

ALL = "all"
COUNTY = "county"  # county governments and their departments (政府信息公开条例 第21条, first half)
TOWNSHIP = "township"  # townships (第21条, second half)


@dataclass(frozen=True)
class PresetCategory:
    code: str
    name: str
    description: str
    basis: str
    applies_to: str = ALL


def _art20(number: int, roman: str, name: str, description: str) -> PresetCategory:
    return PresetCategory(f"{number:02d}", name, description, f"政府信息公开条例 第二十条第（{roman}）项")


# 政府信息公开条例 (2019) 第20条: the fifteen items of proactive disclosure, in the law's order and words.
ARTICLE_20 = [
    _art20(1, "一", "法规文件", "行政法规、规章和规范性文件"),
    _art20(2, "二", "机构职能", "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"),
    _art20(3, "三", "规划信息", "国民经济和社会发展规划、专项规划、区域规划及相关政策"),
    _art20(4, "四", "统计信息", "国民经济和社会发展统计信息"),
    _art20(5, "五", "行政许可", "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果"),
    _art20(
        6,
        "六",
        "行政处罚与行政强制",
        "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    ),
    _art20(7, "七", "财政预决算", "财政预算、决算信息"),
    _art20(8, "八", "行政事业性收费", "行政事业性收费项目及其依据、标准"),
    _art20(9, "九", "政府采购", "政府集中采购项目的目录、标准及实施情况"),
    _art20(10, "十", "重大建设项目", "重大建设项目的批准和实施情况"),
    _art20(11, "十一", "民生政策", "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况"),
    _art20(12, "十二", "应急管理", "突发公共事件的应急预案、预警信息及应对情况"),
    _art20(13, "十三", "监督检查", "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"),
    _art20(14, "十四", "公务员招考", "公务员招考的职位、名额、报考条件等事项以及录用结果"),
    _art20(15, "十五", "其他法定公开信息", "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息"),
]

_ART21 = "政府信息公开条例 第二十一条"

# 政府信息公开条例 第21条: county governments and their departments, according to local circumstances.
ARTICLE_21_COUNTY = [
    PresetCategory(f"{21 + i:02d}", name, name + "方面的政府信息", _ART21, COUNTY)
    for i, name in enumerate(["市政建设", "公共服务", "公益事业", "土地征收", "房屋征收", "治安管理", "社会救助"])
]

# 政府信息公开条例 第21条: townships, according to local circumstances.
ARTICLE_21_TOWNSHIP = [
    PresetCategory(f"{31 + i:02d}", name, name + "方面的政府信息", _ART21, TOWNSHIP)
    for i, name in enumerate(
        ["贫困救助", "集体土地征收", "农田水利工程建设运营", "农村土地承包经营权流转", "宅基地使用情况审核", "计划生育"]
    )
]

PRESET = ARTICLE_20 + ARTICLE_21_COUNTY + ARTICLE_21_TOWNSHIP

# 国务院公文主题分类 (the top level as used by the State Council's policy library): the editable preset of 主题分类.
SUBJECT_TOPICS = [
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "文化、广电、新闻出版",
    "卫生、体育",
    "人口与计划生育、妇女儿童工作",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "民族、宗教",
    "对外事务",
    "港澳台侨工作",
    "国防",
    "其他",
]


def scope_of(organisation: Organisation) -> str:
    """Which half of 第21条 applies to ``organisation``."""
    return TOWNSHIP if organisation.kind == Organisation.Kind.TOWNSHIP else COUNTY


def platform_preset():
    """The platform-wide preset categories, created from the law's list when there are none yet."""
    from zhengtong.disclosure.models import DisclosureCategory

    preset = DisclosureCategory.objects.filter(organisation__isnull=True)
    if not preset.exists():
        DisclosureCategory.objects.bulk_create(
            [
                DisclosureCategory(
                    organisation=None,
                    code=item.code,
                    name=item.name,
                    description=item.description,
                    basis=item.basis,
                    applies_to=item.applies_to,
                    sort_order=(index + 1) * 10,
                )
                for index, item in enumerate(PRESET)
            ],
            ignore_conflicts=True,
        )
    return preset.order_by("sort_order", "code")


@transaction.atomic
def catalog_for(organisation: Organisation):
    """``organisation``'s catalog (all its categories, active or not), copied from the preset on first use.

    Only the preset categories that apply to the organisation's kind are copied (第21条: county or township).
    """
    from zhengtong.disclosure.models import DisclosureCategory

    own = DisclosureCategory.objects.filter(organisation=organisation)
    if not own.exists():
        scope = scope_of(organisation)
        DisclosureCategory.objects.bulk_create(
            [
                DisclosureCategory(
                    organisation=organisation,
                    code=preset.code,
                    name=preset.name,
                    description=preset.description,
                    basis=preset.basis,
                    applies_to=ALL,
                    sort_order=preset.sort_order,
                    is_active=preset.is_active,
                )
                for preset in platform_preset()
                if preset.applies_to in (ALL, scope)
            ],
            ignore_conflicts=True,  # two first uses at once: the second finds the rows of the first
        )
    return own.order_by("sort_order", "code")


def active_catalog(organisation: Organisation):
    return catalog_for(organisation).filter(is_active=True)


def subject_topics():
    """The 主题分类 list, created from the preset when empty."""
    from zhengtong.disclosure.models import SubjectTopic

    topics = SubjectTopic.objects.all()
    if not topics.exists():
        SubjectTopic.objects.bulk_create(
            [SubjectTopic(name=name, sort_order=(index + 1) * 10) for index, name in enumerate(SUBJECT_TOPICS)],
            ignore_conflicts=True,
        )
    return topics.order_by("sort_order", "name")


def category_in_use(category) -> bool:
    return category.items.exists()
