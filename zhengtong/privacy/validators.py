"""Validators for identity numbers and phone numbers, with errors a citizen can act on.

Each ``validate_*`` raises ``django.core.exceptions.ValidationError`` with a plain Chinese message
saying what to check; ``is_valid_*`` are the same rules as booleans for code that only needs a yes/no.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.privacy.kinds import ID_NUMBER, PHONE, normalise

# GB 11643-1999 §5: weights 2^(17-i) mod 11 of the first 17 digits, ISO 7064 MOD 11-2 check character.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
# GB/T 2260 province-level codes (the first two digits of the region code); 71 台湾, 81 香港, 82 澳门,
# 83 as used on residence permits for Taiwan residents. The full county table changes every year and is
# not bundled; the province prefix catches most typing errors in the first digits.
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)

# GB 32100-2015 §4: the 31 characters a unified social credit code uses (no I, O, Z, S, V).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015 §5 and annex: weight of position i (1-based) is 3^(i-1) mod 31.
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

# Mainland mobile numbers: 11 digits starting 13-19 (工业和信息化部 电信网编号计划).
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def id_check_char(first17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits."""
    return ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def validate_resident_id(value: str) -> None:
    """A resident identity number under GB 11643-1999: 18 characters, region, birth date, check digit."""
    number = normalise(ID_NUMBER, str(value))
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("身份证号码应为 18 位：前 17 位是数字，最后一位是数字或字母 X。请对照证件重新填写。"),
            code="id_format",
        )
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(_("身份证号码的前两位（省份代码）不正确。请对照证件核对开头的数字。"), code="id_region")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        birth = None
    if birth is None or birth.year < 1850 or birth > timezone.localdate():
        raise ValidationError(
            _("身份证号码第 7 到 14 位应是出生日期（年月日），现在不是一个有效的日期。请对照证件核对。"),
            code="id_birth_date",
        )
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError(
            _("身份证号码的校验位（最后一位）与前面的数字不符，号码中可能有输错的数字。请对照证件逐位核对。"),
            code="id_check_digit",
        )


def uscc_check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    """A unified social credit code under GB 32100-2015: 18 characters of its alphabet, MOD 31 check."""
    code = re.sub(r"\s+", "", str(value)).upper()
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为 18 位（数字和大写字母）。请对照营业执照或登记证书重新填写。"),
            code="uscc_length",
        )
    wrong = sorted({c for c in code if c not in USCC_ALPHABET})
    if wrong:
        raise ValidationError(
            _("统一社会信用代码中不会出现字符“%(chars)s”（代码不用字母 I、O、Z、S、V）。请对照证照核对。")
            % {"chars": "、".join(wrong)},
            code="uscc_alphabet",
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("统一社会信用代码第 3 到 8 位是登记管理机关的行政区划码，应为数字。请对照证照核对。"),
            code="uscc_region",
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("统一社会信用代码的校验位（最后一位）与前面的字符不符，可能有输错的字符。请对照证照逐位核对。"),
            code="uscc_check_char",
        )


def validate_mobile_phone(value: str) -> None:
    """A mainland mobile number: 11 digits starting 13-19 (spaces, hyphens and +86 are allowed)."""
    if not MOBILE_RE.match(normalise(PHONE, str(value))):
        raise ValidationError(
            _("请填写 11 位手机号码，以 1 开头，例如 13800001234。"),
            code="mobile_phone",
        )


def _as_bool(validator, value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def is_valid_resident_id(value: str) -> bool:
    return _as_bool(validate_resident_id, value)


def is_valid_uscc(value: str) -> bool:
    return _as_bool(validate_uscc, value)


def is_valid_mobile_phone(value: str) -> bool:
    return _as_bool(validate_mobile_phone, value)
