"""The disclosure guide (政府信息公开指南), generated from the office's record and its catalog.

政府信息公开条例 第12条: the guide gives the classification and arrangement of the information (the catalog and
its index numbers), how to obtain it (proactively disclosed and on application), and the disclosure office's
name, address, office hours, phone, fax and online contact.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from zhengtong.disclosure.catalog import catalog_for
from zhengtong.disclosure.numbering import format_index_number, prefix_for


def application_url() -> str | None:
    """Where the public applies for information (依申请公开); the applications app provides ``disclosure_apply``."""
    try:
        return reverse("disclosure_apply")
    except NoReverseMatch:
        return None


@dataclass
class Guide:
    organisation: object
    office: object | None
    categories: list = field(default_factory=list)
    index_example: str = ""
    access_html: str = ""
    application_html: str = ""
    application_url: str | None = None

    @property
    def complete(self) -> bool:
        """Whether every fact 第12条 asks for is entered (fax and email may honestly be absent)."""
        office = self.office
        return bool(office and office.name and office.address and office.office_hours and office.phone)


def default_access_html(organisation, section_url: str) -> str:
    from django.utils.html import format_html

    return format_html(
        "<p>{}</p><p>{}</p>",
        _("本机关主动公开的政府信息在本网站“%(name)s信息公开”专栏按目录发布，可按类别、年份浏览，也可使用站内搜索。")
        % {"name": organisation.short_name},
        _(
            "不具备上网条件的群众，可在政府信息公开查阅点（县政府大楼、档案馆、图书馆、政务服务中心等）免费查阅。"
            "属于主动公开范围的信息，自该信息形成或者变更之日起20个工作日内予以公开（政府信息公开条例第二十六条）。"
        ),
    )


def default_application_html() -> str:
    from django.utils.html import format_html

    return format_html(
        "<p>{}</p><p>{}</p><p>{}</p>",
        _(
            "公民、法人或者其他组织可以通过网上申请、当面提交、信函或者传真向本机关申请获取政府信息。"
            "申请时请写明申请人的姓名或者名称、身份证明、联系方式，所需政府信息的名称、文号或者便于查询的其他特征性描述，"
            "以及获取信息的方式（政府信息公开条例第二十九条）。"
        ),
        _(
            "本机关能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内答复；需要延长答复期限的，"
            "经信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过20个工作日（第三十三条）。"
            "申请内容不明确的，在7个工作日内一次性告知补正（第三十条）。"
        ),
        _("依申请提供政府信息，不收取费用（第四十二条）。"),
    )


def guide_for(organisation, section=None) -> Guide:
    from zhengtong.disclosure.models import DisclosureOffice

    office = DisclosureOffice.objects.filter(organisation=organisation).first()
    categories = list(
        catalog_for(organisation).filter(is_active=True).annotate(count=Count("items", filter=Q(items__live=True)))
    )
    example_code = categories[0].code if categories else "01"
    section_url = section.url if section is not None else ""
    return Guide(
        organisation=organisation,
        office=office,
        categories=categories,
        index_example=format_index_number(prefix_for(organisation), example_code, 2026, 1),
        access_html=(office.access_text if office and office.access_text else "")
        or default_access_html(organisation, section_url),
        application_html=(office.application_text if office and office.application_text else "")
        or default_application_html(),
        application_url=application_url(),
    )
