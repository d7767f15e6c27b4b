"""Tracking codes (查询码): unguessable, easy to read aloud and to type, with a check character.

The alphabet leaves out 0/O, 1/I/L, U (read as V) and Z (read as 2), so a code copied by hand or read
over the phone comes back right; eleven random characters (about 53 bits) make guessing hopeless behind
the lookup's second check and rate limit, and a twelfth, a check character, catches a mistyped code before
any lookup. The alphabet has 29 characters, a prime, so the weighted check catches every single wrong
character and every swap of two neighbours.
Codes are shown in groups of four: ``7KQM-3XD9-PA4F``.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXY"  # 29 characters: a prime modulus for the check
RANDOM_LENGTH = 11
CODE_LENGTH = RANDOM_LENGTH + 1
GROUP = 4

# What people type for characters the alphabet leaves out.
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V", "Z": "2"})


def _check_character(body: str) -> str:
    # Weighted sum, position-dependent, so a swap of two neighbours is caught as well as one wrong character.
    total = sum((i + 1) * ALPHABET.index(ch) for i, ch in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_code() -> str:
    """A fresh code (unformatted, 12 characters)."""
    return with_check("".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH)))


def with_check(body: str) -> str:
    """``body`` (characters of the alphabet) followed by its check character."""
    return body + _check_character(body)


def normalise_code(text: str) -> str:
    """What the user typed, upper-cased, with spaces, dashes and full-width forms removed.

    Letters the alphabet leaves out become the digits they are mistaken for, which then fail the
    alphabet check: a mistyped code is refused, never silently read as another.
    """
    import unicodedata

    text = unicodedata.normalize("NFKC", text or "").upper()
    return "".join(ch for ch in text if ch.isalnum()).translate(_CONFUSABLE)


def is_valid_code(code: str) -> bool:
    """Whether a normalised code has the right length, alphabet and check character."""
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code) and _check_character(code[:-1]) == code[-1]


def format_code(code: str) -> str:
    """The code in groups of four for showing and printing."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
