"""The self-hosted challenge: a sum of two small numbers written in Chinese words.

Why this form: it needs no third-party service, no JavaScript, no image; a screen reader reads the question
as ordinary text, and older people answer it in digits or in words (``8``, ``８``, ``八``). The answer is
not in the page: the token carries an HMAC of it, is signed with SECRET_KEY, expires after
``ZT_CHALLENGE_SECONDS``, is bound to the scope and the client address, and is accepted once.
"""

import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

TOKEN_FIELD = "zt_challenge_token"  # noqa: S105 - a form field name, not a secret
ANSWER_FIELD = "zt_challenge_answer"
FIELD_NAMES = (TOKEN_FIELD, ANSWER_FIELD)
SALT = "zhengtong.hardening.challenge"
USED_PREFIX = "zt:challenge:used:"
DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Question:
    text: str  # Chinese, e.g. "三加五等于几？"
    token: str


def in_words(n: int) -> str:
    """0–99 in Chinese words: 7 → 七, 10 → 十, 15 → 十五, 23 → 二十三."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def parse_answer(text: str) -> int | None:
    """A number typed as digits (half or full width) or Chinese words; ``None`` if it is neither."""
    text = unicodedata.normalize("NFKC", text).strip().replace(" ", "").replace("两", "二")
    if text.isdigit():
        return int(text) if len(text) <= 3 else None
    values = {c: i for i, c in enumerate(DIGITS)} | {"〇": 0}
    if text and all(c in values for c in text) and len(text) == 1:
        return values[text]
    if "十" in text and text.count("十") == 1:
        tens, _sep, ones = text.partition("十")
        if tens in ("", "一") or tens in values:
            t = 1 if tens in ("", "一") else values[tens]
            if ones == "" or ones in values:
                return t * 10 + (values[ones] if ones else 0)
    return None


def _answer_mac(nonce: str, answer: int) -> str:
    return salted_hmac(SALT, f"{nonce}:{answer}").hexdigest()


def _bound_to(scope: str, address: str) -> str:
    return salted_hmac(SALT, f"{scope}|{address}").hexdigest()[:32]


def new_question(scope: str, address: str) -> Question:
    a, b = 1 + secrets.randbelow(9), 1 + secrets.randbelow(9)
    nonce = secrets.token_urlsafe(12)
    token = signing.dumps({"n": nonce, "h": _answer_mac(nonce, a + b), "b": _bound_to(scope, address)}, salt=SALT)
    return Question(_("%(a)s加%(b)s等于几？") % {"a": in_words(a), "b": in_words(b)}, token)


def check_answer(token: str, answer: str, scope: str, address: str, max_age: int | None = None) -> bool:
    """Whether ``answer`` solves the question of ``token`` (unexpired, same scope and address, first use).

    ``max_age``: seconds the question stays answerable (default ``ZT_CHALLENGE_SECONDS``).
    """
    max_age = max_age or settings.ZT_CHALLENGE_SECONDS
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return False
    value = parse_answer(answer)
    if value is None or not constant_time_compare(data.get("b", ""), _bound_to(scope, address)):
        return False
    if not constant_time_compare(data.get("h", ""), _answer_mac(data.get("n", ""), value)):
        return False
    # One answer, one request: a solved token replayed is refused.
    return cache.add(USED_PREFIX + data["n"], 1, timeout=max_age + 60)
