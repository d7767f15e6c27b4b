import random

from zhengtong.casework.codes import ALPHABET, CODE_LENGTH, format_code, is_valid_code, new_code, normalise_code


def test_new_codes_are_valid_unambiguous_and_distinct():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == CODE_LENGTH and is_valid_code(code)
        assert not set(code) & set("01OILUZ")


def test_typing_variants_are_understood():
    code = new_code()
    typed = " " + format_code(code).lower().replace("-", " - ") + " "
    assert normalise_code(typed) == code
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in code)
    assert normalise_code(full_width) == code


def test_one_wrong_character_or_a_swap_is_caught():
    rng = random.Random(7)
    for _ in range(500):
        code = new_code()
        i = rng.randrange(CODE_LENGTH)
        wrong = code[:i] + rng.choice([c for c in ALPHABET if c != code[i]]) + code[i + 1 :]
        assert not is_valid_code(wrong)
        j = rng.randrange(CODE_LENGTH - 1)
        if code[j] != code[j + 1]:
            swapped = code[:j] + code[j + 1] + code[j] + code[j + 2 :]
            assert not is_valid_code(swapped)


def test_letters_outside_the_alphabet_are_refused_not_guessed():
    code = new_code()
    assert not is_valid_code(normalise_code("O" + code[1:]))
    assert not is_valid_code(normalise_code(code[:-1]))
