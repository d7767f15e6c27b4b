"""Builders for tests: disclosure sections on the test portal, and published disclosure items."""

from datetime import date
from types import SimpleNamespace

from zhengtong.disclosure.catalog import catalog_for
from zhengtong.disclosure.models import DisclosureItemPage, DisclosureOffice, DisclosureSectionPage


def build_disclosure(portal) -> SimpleNamespace:
    """The county government's section under 信息公开 and the department's in its sub-site, offices filled."""
    county = portal.info.add_child(
        instance=DisclosureSectionPage(title="县政府信息公开", slug="zfxxgk", organisation=portal.government)
    )
    department = portal.section.add_child(
        instance=DisclosureSectionPage(title="教育局信息公开", slug="xxgk", organisation=portal.department)
    )
    DisclosureOffice.objects.create(
        organisation=portal.government,
        name="县人民政府办公室",
        address="人民路1号",
        postcode="831900",
        office_hours="工作日 10:00—14:00，16:00—19:30",
        phone="0994-4821234",
        fax="0994-4821235",
        email="xxgk@example.gov.cn",
        index_prefix="11652328010000000X",
        review_authority="昌吉回族自治州人民政府",
        court="木垒哈萨克自治县人民法院",
    )
    return SimpleNamespace(county=county, department=department)


def category(organisation, code: str = "01"):
    return catalog_for(organisation).get(code=code)


def draft_item(section: DisclosureSectionPage, title: str, code: str = "01", **fields) -> DisclosureItemPage:
    """An item added as a draft (not live), as the editor creates it before review."""
    fields.setdefault("written_date", date(2026, 3, 2))
    fields.setdefault("body", "<p>正文</p>")
    item = DisclosureItemPage(title=title, category=category(section.organisation, code), live=False, **fields)
    section.add_child(instance=item)
    return item


def publish_item(section: DisclosureSectionPage, title: str, code: str = "01", **fields) -> DisclosureItemPage:
    item = draft_item(section, title, code, **fields)
    item.save_revision().publish()
    item.refresh_from_db()
    return item
