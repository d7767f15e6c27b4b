"""The catalog (目录): preset from 政府信息公开条例 第20、21条, copied on first use, edited but never deleted in use."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from zhengtong.core.models import Organisation
from zhengtong.disclosure.catalog import ARTICLE_20, catalog_for, platform_preset, subject_topics
from zhengtong.disclosure.models import DisclosureCategory
from zhengtong.disclosure.testing import category, draft_item, publish_item

pytestmark = pytest.mark.django_db


def test_article_20_lists_fifteen_items_with_their_source():
    assert len(ARTICLE_20) == 15
    assert ARTICLE_20[0].description == "行政法规、规章和规范性文件"
    assert ARTICLE_20[14].basis == "政府信息公开条例 第二十条第（十五）项"
    assert [c.code for c in ARTICLE_20] == [f"{i:02d}" for i in range(1, 16)]


def test_copied_on_first_use_by_kind_of_organisation(portal):
    township = Organisation.objects.create(
        name="木垒镇人民政府", short_name="木垒镇", code="木镇政", kind=Organisation.Kind.TOWNSHIP
    )
    assert not DisclosureCategory.objects.filter(organisation=portal.government).exists()
    county = list(catalog_for(portal.government).values_list("name", flat=True))
    town = list(catalog_for(township).values_list("name", flat=True))
    # 第20条 for all; 第21条 county half (市政建设 …) for the county, township half (宅基地 …) for townships.
    assert len(county) == 15 + 7 and "房屋征收" in county and "宅基地使用情况审核" not in county
    assert len(town) == 15 + 6 and "宅基地使用情况审核" in town and "房屋征收" not in town
    # A second use finds the copy rather than copying again.
    assert catalog_for(portal.government).count() == 22


def test_platform_preset_is_editable_before_copying(portal):
    preset = platform_preset().get(code="04")
    preset.name = "统计数据"
    preset.save()
    platform_preset().filter(code="15").update(is_active=False)
    copy = catalog_for(portal.government)
    assert copy.get(code="04").name == "统计数据"
    assert not copy.get(code="15").is_active
    # The organisation's copy is its own: editing it leaves the preset alone.
    copy.filter(code="04").update(name="本县统计")
    assert platform_preset().get(code="04").name == "统计数据"


def test_rename_reorder_deactivate_add(disclosure, portal):
    categories = catalog_for(portal.government)
    own = categories.get(code="02")
    own.name, own.sort_order = "机构概况", 1
    own.full_clean()
    own.save()
    added = DisclosureCategory(organisation=portal.government, code="90", name="乡村振兴", sort_order=5)
    added.full_clean()
    added.save()
    assert list(catalog_for(portal.government).values_list("code", flat=True)[:2]) == ["02", "90"]
    duplicate = DisclosureCategory(organisation=portal.government, code="90", name="重复")
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    bad = DisclosureCategory(organisation=portal.government, code="9-1", name="坏代码")
    with pytest.raises(ValidationError, match="字母和数字"):
        bad.full_clean()


def test_category_in_use_cannot_be_deleted_or_recoded(disclosure, portal):
    publish_item(disclosure.county, "在用类别的信息", "03")
    used = category(portal.government, "03")
    with pytest.raises(ProtectedError):
        used.delete()
    used.code = "33"
    with pytest.raises(ValidationError, match="不能修改类别代码"):
        used.full_clean()
    # A category without items may go.
    category(portal.government, "14").delete()
    assert not catalog_for(portal.government).filter(code="14").exists()


def test_admin_delete_of_category_in_use_is_refused(disclosure, portal, admin_client):
    publish_item(disclosure.county, "在用类别的信息", "03")
    used = category(portal.government, "03")
    url = f"/admin/snippets/zt_disclosure/disclosurecategory/delete/{used.pk}/"
    response = admin_client.post(url, follow=True)
    assert DisclosureCategory.objects.filter(pk=used.pk).exists()
    assert "不能删除" in response.content.decode()
    unused = category(portal.government, "14")
    admin_client.post(f"/admin/snippets/zt_disclosure/disclosurecategory/delete/{unused.pk}/")
    assert not DisclosureCategory.objects.filter(pk=unused.pk).exists()


def test_deactivated_category_leaves_the_editor_choices_but_not_its_items(disclosure, portal, admin_client):
    item = publish_item(disclosure.county, "旧类别的信息", "12")
    category(portal.government, "12").__class__.objects.filter(organisation=portal.government, code="12").update(
        is_active=False
    )
    add = admin_client.get(f"/admin/pages/add/zt_disclosure/disclosureitempage/{disclosure.county.pk}/")
    assert add.status_code == 200
    choices = add.content.decode()
    assert "应急管理" not in choices and "法规文件" in choices
    edit = admin_client.get(f"/admin/pages/{item.pk}/edit/")
    assert "应急管理" in edit.content.decode()


def test_category_of_another_organisation_is_refused(disclosure, portal):
    item = draft_item(disclosure.county, "别家类别")
    item.category = category(portal.department, "01")
    with pytest.raises(ValidationError, match="本机构公开目录"):
        item.full_clean()


def test_subject_topics_preset():
    names = list(subject_topics().values_list("name", flat=True))
    assert names[0] == "综合政务" and "城乡建设、环境保护" in names and len(names) == 21
