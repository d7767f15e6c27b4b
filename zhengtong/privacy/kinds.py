"""The kinds of personal data and how a value of each kind is normalised for exact-match lookup."""

import re
import unicodedata

ID_NUMBER = "id_number"
PHONE = "phone"
NAME = "name"
ADDRESS = "address"
EMAIL = "email"
TEXT = "text"

KINDS = (ID_NUMBER, PHONE, NAME, ADDRESS, EMAIL, TEXT)

# Middle dots people type between the parts of a transliterated name (阿依古丽·赛力克).
NAME_DOTS = "·•‧・．.·"
_NAME_DOT_RE = re.compile(f"[{re.escape(NAME_DOTS)}]")
_SPACE_RE = re.compile(r"\s+")


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown personal data kind {kind!r}; one of {', '.join(KINDS)}")
    return kind


def normalise(kind: str, value: str) -> str:
    """The canonical form of ``value`` that the blind index is computed over.

    Two inputs a person would call the same (full-width digits, a lower-case x, spaces and hyphens in a
    phone number, +86) give the same result, so a lookup finds what was stored however it was typed.
    """
    check_kind(kind)
    value = unicodedata.normalize("NFKC", value).strip()
    if kind == ID_NUMBER:
        return _SPACE_RE.sub("", value).upper()
    if kind == PHONE:
        digits = re.sub(r"\D", "", value)
        # +86 / 0086 before a mainland mobile number is the same number.
        if len(digits) == 13 and digits.startswith("86") and digits[2] == "1":
            digits = digits[2:]
        elif len(digits) == 15 and digits.startswith("0086") and digits[4] == "1":
            digits = digits[4:]
        return digits
    if kind == EMAIL:
        return value.lower()
    if kind == NAME:
        return _NAME_DOT_RE.sub("·", _SPACE_RE.sub("", value))
    return _SPACE_RE.sub(" ", value)


def clean_for_storage(kind: str, value: str) -> str:
    """What is stored for a typed value: trimmed; ID numbers upper-case (a lower-case x is the same X)."""
    value = value.strip()
    return value.upper() if kind == ID_NUMBER else value
