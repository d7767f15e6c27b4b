import pytest

from zhengtong.privacy.masking import mask


@pytest.mark.parametrize(
    ("kind", "value", "masked"),
    [
        ("id_number", "11010519491231002X", "110105********002X"),
        ("phone", "13800001234", "138****1234"),
        ("phone", "0994-1234567", "099*****4567"),
        ("name", "张三", "张某"),
        ("name", "李", "李某"),
        ("name", "欧阳娜娜", "欧阳某"),
        ("name", "司马懿", "司马某"),
        ("name", "欧阳", "欧某"),  # two characters: a surname and a given name, not a compound surname
        ("name", "阿依古丽·赛力克", "阿某·某"),
        ("name", "阿依古丽・赛力克", "阿某·某"),
        ("email", "zhang.san@example.com", "z***@example.com"),
        ("email", "not-an-email", "******"),
        ("text", "任何内容", "******"),
        (
            "address",
            "新疆维吾尔自治区昌吉回族自治州吉木萨尔县北庭镇北庭路1号",
            "新疆维吾尔自治区昌吉回族自治州吉木萨尔县******",
        ),
        ("address", "北京市海淀区中关村大街1号", "北京市海淀区******"),
        ("address", "浙江省杭州市西湖区文三路 90 号", "浙江省杭州市西湖区******"),
        ("address", "吉木萨尔县北庭镇菜市场2号", "吉木萨尔县******"),
        ("address", "新疆昌吉州吉木萨尔县工业园区", "新疆昌吉州吉木萨尔县******"),
        ("address", "内蒙古自治区呼伦贝尔市鄂温克族自治旗巴彦托海镇", "内蒙古自治区呼伦贝尔市鄂温克族自治旗******"),
        ("address", "河北省保定市涿州市范阳路", "河北省保定市涿州市******"),
        ("address", "昌吉市延安北路", "昌吉市******"),
        ("address", "北庭路1号", "******"),
        ("address", "吉木萨尔县", "吉木萨尔县"),
    ],
)
def test_masking_rules(kind, value, masked):
    assert mask(kind, value) == masked


@pytest.mark.parametrize("kind", ["id_number", "phone", "name", "address", "email", "text"])
def test_empty_stays_empty(kind):
    assert mask(kind, "") == ""
    assert mask(kind, None) == ""


def test_short_values_do_not_leak_through_the_kept_ends():
    assert mask("phone", "12345") == "***45"
    assert mask("id_number", "123") == "***"


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError):
        mask("passport", "E12345678")
