"""Masking: the one set of rules for showing personal data to someone without the right to see it whole.

DOMAIN.md §6 and GB/T 35273-2020 (个人信息安全规范) 3.14 去标识化 / 6.2 展示限制: ID numbers keep the first 6
and last 4 characters, phone numbers the first 3 and last 4, a name its surname followed by 某, an address
its province-to-county part, an email its first character and domain; free text is hidden entirely.
"""

import re

from zhengtong.privacy.kinds import ADDRESS, EMAIL, ID_NUMBER, NAME, NAME_DOTS, PHONE, TEXT, check_kind

STAR = "*"
HIDDEN = "******"

# Two-character (复姓) surnames in use today; a name starting with one keeps both characters.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 端木 独孤 南宫 西门 "
    "澹台 公冶 宗政 濮阳 太叔 申屠 闻人 万俟 赫连 呼延 百里 东郭 拓跋 淳于 单于 司空 第五 左丘 公羊 "
    "梁丘 闾丘 谷梁 乐正 漆雕 壤驷 公良 段干 司寇 巫马 羊舌 微生 子车 颛孙 仲孙 叱干".split()
)

# Administrative divisions down to county level (GB/T 2260): province, prefecture, county. Each part
# excludes the suffix characters of the levels so a later 市 (菜市场) or 区 (工业园区) is not taken.
_PROVINCE = r"(?:(?:北京|天津|上海|重庆)市|[^省市区县旗州盟]{2,12}?(?:省|自治区|特别行政区))"
_PREFECTURE = r"(?:[^省市区县旗州盟]{1,12}?(?:自治州|地区|盟|州市|市|州))"
_COUNTY = r"(?:[^省市区县旗州盟]{1,12}?(?:自治县|自治旗|林区|特区|州市|县|区|市|旗))"
_ADDRESS_RE = re.compile(f"^({_PROVINCE}?{_PREFECTURE}?{_COUNTY})")
_ADDRESS_UPPER_RE = re.compile(f"^({_PROVINCE}?{_PREFECTURE}?)")


def _keep_ends(value: str, head: int, tail: int) -> str:
    if len(value) <= head + tail:
        # Too short to keep both ends without showing (nearly) everything: at most the last two.
        return STAR * len(value) if len(value) <= 4 else STAR * (len(value) - 2) + value[-2:]
    return value[:head] + STAR * (len(value) - head - tail) + value[-tail:]


def mask_id_number(value: str) -> str:
    """110105********002X: the region code and the last four (GB 11643 numbers)."""
    return _keep_ends(value.strip(), 6, 4)


def mask_phone(value: str) -> str:
    """138****1234; landlines keep their first 3 and last 4 characters the same way."""
    return _keep_ends(value.strip(), 3, 4)


def mask_name(value: str) -> str:
    """张某, 欧阳某; 阿依古丽·赛力克 → 阿某·某 (each part of a transliterated name is hidden)."""
    name = value.strip()
    if not name:
        return ""
    parts = [p for p in re.split(f"[{re.escape(NAME_DOTS)}]", name) if p]
    if len(parts) > 1:
        # Transliterated names (Uyghur, Kazakh …) have no surname first: keep the first character only.
        return parts[0][0] + "某" + "·某" * (len(parts) - 1)
    if len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        return name[:2] + "某"
    return name[0] + "某"


def mask_address(value: str) -> str:
    """Keep the address down to county level: 新疆维吾尔自治区昌吉回族自治州吉木萨尔县******."""
    address = re.sub(r"\s+", "", value)
    if not address:
        return ""
    match = _ADDRESS_RE.match(address) or _ADDRESS_UPPER_RE.match(address)
    kept = match.group(1) if match else ""
    return kept if kept == address else kept + HIDDEN


def mask_email(value: str) -> str:
    """z***@example.com: the first character of the mailbox name and the domain."""
    email = value.strip()
    local, at, domain = email.rpartition("@")
    if not at or not local:
        return HIDDEN
    return local[0] + "***@" + domain


def mask_text(value: str) -> str:
    return HIDDEN if value else ""


MASKERS = {
    ID_NUMBER: mask_id_number,
    PHONE: mask_phone,
    NAME: mask_name,
    ADDRESS: mask_address,
    EMAIL: mask_email,
    TEXT: mask_text,
}


def mask(kind: str, value: str | None) -> str:
    """The masked form of ``value`` of the given kind; empty stays empty."""
    if not value:
        return ""
    return MASKERS[check_kind(kind)](str(value))


# Personal data written into free text (a letter, a reply): resident IDs (18 characters, the last may be X),
# mobile numbers, landlines with an area code, and e-mail addresses. Digits next to other digits are not
# taken, so amounts, dates and document numbers stay as written.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(?:1[3-9]\d[ -]?\d{4}[ -]?\d{4}|0\d{2,3}-?\d{7,8})(?!\d)")
_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def mask_in_text(text: str) -> str:
    """``text`` with the ID numbers, phone numbers and e-mail addresses in it masked (for a public version).

    Names and addresses in free text cannot be found reliably; whoever publishes the text reads it first.
    """
    if not text:
        return ""
    text = _EMAIL_IN_TEXT.sub(lambda m: mask_email(m.group()), text)
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group()), text)
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group()), text)
