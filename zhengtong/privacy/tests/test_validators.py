import pytest
from django.core.exceptions import ValidationError

from zhengtong.privacy.forms import MobilePhoneField, ResidentIDField, USCCField
from zhengtong.privacy.validators import (
    id_check_char,
    is_valid_mobile_phone,
    is_valid_resident_id,
    is_valid_uscc,
    uscc_check_char,
    validate_resident_id,
    validate_uscc,
)


def error_of(validator, value) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validator(value)
    return info.value


@pytest.mark.parametrize("number", ["11010519491231002X", "11010519491231002x", "110105 19491231 002X"])
def test_valid_resident_ids(number):
    assert is_valid_resident_id(number)


def test_check_digit_is_iso_7064_mod_11_2():
    assert id_check_char("11010519491231002") == "X"
    # Every other last character is refused for the same 17 digits.
    assert [c for c in "0123456789X" if is_valid_resident_id("11010519491231002" + c)] == ["X"]


@pytest.mark.parametrize(
    ("number", "code", "words"),
    [
        ("1101051949123100", "id_format", "18 位"),
        ("11010519491231002Y", "id_format", "X"),
        ("99010519491231002X", "id_region", "省份代码"),
        ("110105194902300025", "id_birth_date", "出生日期"),
        ("110105299901010021", "id_birth_date", "出生日期"),
        ("110105194912310021", "id_check_digit", "校验位"),
    ],
)
def test_resident_id_errors_say_what_to_check(number, code, words):
    error = error_of(validate_resident_id, number)
    assert error.code == code
    assert words in error.messages[0]


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000802100433B", "91440300708461136t"])
def test_valid_unified_social_credit_codes(code):
    assert is_valid_uscc(code)


def test_uscc_check_character_is_mod_31():
    assert uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("91350100M000100Y4", "uscc_length"),
        ("91350100M000100I43", "uscc_alphabet"),
        ("9135A100M000100Y43", "uscc_region"),
        ("91350100M000100Y44", "uscc_check_char"),
    ],
)
def test_uscc_errors(code, error_code):
    assert error_of(validate_uscc, code).code == error_code


def test_uscc_names_the_wrong_characters():
    assert "I" in error_of(validate_uscc, "91350100M000100I43").messages[0]


@pytest.mark.parametrize("phone", ["13800001234", "138 0000 1234", "+86 138-0000-1234", "008613800001234"])
def test_mobile_phones(phone):
    assert is_valid_mobile_phone(phone)


@pytest.mark.parametrize("phone", ["1380000123", "12800001234", "0994-1234567", "abc"])
def test_not_mobile_phones(phone):
    assert not is_valid_mobile_phone(phone)


def test_form_fields_clean_and_explain():
    assert ResidentIDField().clean("11010519491231002x") == "11010519491231002X"
    assert USCCField().clean(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert MobilePhoneField().clean("+86 138 0000 1234") == "13800001234"
    with pytest.raises(ValidationError) as info:
        MobilePhoneField(required=False).clean("电话号码")
    assert "11 位手机号码" in info.value.messages[0]
    with pytest.raises(ValidationError) as info:
        ResidentIDField().clean("110105194912310021")
    assert "校验位" in info.value.messages[0]
