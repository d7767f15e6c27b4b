"""The demo county carries its 信息公开: three sections with offices, items across categories and two years."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhengtong.casework import deadlines
from zhengtong.disclosure.clock import clock_row, proactive_counts
from zhengtong.disclosure.models import DisclosureItemPage, DisclosureOffice, DisclosureSectionPage

pytestmark = pytest.mark.django_db


def test_demo_loads_disclosure(client):
    call_command("load_demo", "--base-url", "http://127.0.0.1:8000", stdout=io.StringIO())
    sections = DisclosureSectionPage.objects.live().select_related("organisation")
    assert {s.organisation.code for s in sections} == {"木政", "木教", "木民政"}
    assert DisclosureOffice.objects.count() == 3
    live = DisclosureItemPage.objects.live()
    assert live.count() == 16
    assert len({item.category_id for item in live}) >= 8
    assert {item.index_year for item in live} == {2014, 2015}
    assert live.exclude(document_number="").count() >= 5
    assert live.filter(validity=DisclosureItemPage.Validity.REPEALED).count() == 1
    assert all(item.index_number for item in live)
    # The drafts show on the 主动公开时限 list: one overdue.
    drafts = DisclosureItemPage.objects.filter(live=False)
    marks = {clock_row(d, timezone.localdate()).mark for d in drafts}
    assert deadlines.OVERDUE in marks
    county = sections.get(organisation__code="木政")
    assert proactive_counts(county.organisation, 2015).published == 6
    civil = sections.get(organisation__code="木民政").organisation
    # 社会团体成立登记办事指南: written 2015-05-04, published 2015-06-19, past its 20 working days.
    assert proactive_counts(civil, 2015).published_late == 1
    host = {"HTTP_HOST": "127.0.0.1:8000"}
    page = client.get(county.url, **host).content.decode()
    assert "木垒县城区车辆停放管理暂行办法" not in page or "废止" in page
    assert "11652328000000000A-" in page
    guide = client.get(county.url + "zhinan/", **host).content.decode()
    assert "木垒哈萨克自治县人民政府办公室" in guide
    kiosk = client.get("/kiosk/", **host).content.decode()
    assert "木垒哈萨克自治县教育局" in kiosk and "木垒哈萨克自治县民政局" in kiosk
