"""The analyzer's promises, including the property the index relies on: no false negatives, and no
false positives where the index alone decides."""

import random

import pytest

from zhengtong.search.analyzer import SPACE_TOKEN, Atom, matches, normalise, parse_query, stream_tokens

# A small alphabet so random texts share many bigrams, as real government text does.
HAN = "政府信息公开协同办公平台县长木垒网站建设服务"
OTHER = "ab12 ，。〔〕号Ｚ\n()-"


def tokens_of(text: str, marks: bool = False) -> list[str]:
    return stream_tokens(normalise(text), marks=marks)


def atom_found(atom: Atom, tokens: list[str]) -> bool:
    """What the full-text index does with an atom: the tokens next to each other, the last a prefix if so."""
    n = len(atom.tokens)
    for i in range(len(tokens) - n + 1):
        window = tokens[i : i + n]
        if window[:-1] == list(atom.tokens[:-1]) and (
            window[-1].startswith(atom.tokens[-1]) if atom.prefix else window[-1] == atom.tokens[-1]
        ):
            return True
    return False


def test_chinese_runs_become_bigrams_then_their_last_character():
    assert tokens_of("协同办公") == ["协同", "同办", "办公", "公"]
    assert tokens_of("政") == ["政"]
    assert "协同办公" not in tokens_of("协同办公平台")  # no whole-run token: the stock behaviour that missed sub-words


def test_latin_words_and_numbers_stay_whole():
    tokens = tokens_of("木政发〔2015〕12号 GB/T 9704-2012 Wagtail")
    assert tokens == ["木政", "政发", "发", "2015", "12", "号", "gb", "t", "9704", "2012", "wagtail"]


def test_normalisation_folds_width_and_case():
    assert normalise("ＡＢＣ１２３") == "abc123"
    assert tokens_of("ＧＢ") == tokens_of("gb")


def test_query_words_and_quoted_phrases():
    parts = parse_query('协同办公  "政府 网站" “信息公开”')
    assert [p.phrase for p in parts] == ["协同办公", "政府 网站", "信息公开"]
    assert parts[0].atoms == (Atom(("协同", "同办", "办公")),)
    assert parts[0].exact_in_index and not parts[1].exact_in_index
    assert parse_query("，。 ") == []


def test_a_run_closing_character_keeps_phrases_inside_runs():
    (part,) = parse_query("协同办")
    assert not atom_found(part.atoms[0], tokens_of("协同。同办"))  # bigrams adjacent across runs
    assert atom_found(part.atoms[0], tokens_of("推进协同办公"))


def test_one_character_is_a_prefix_over_tokens():
    (part,) = parse_query("公")
    assert part.atoms == (Atom(("公",), prefix=True),) and part.exact_in_index
    assert atom_found(part.atoms[0], tokens_of("办公"))  # the run's last character
    assert atom_found(part.atoms[0], tokens_of("公开"))


def test_punctuation_and_white_space_are_tokens_of_the_public_stream():
    assert tokens_of("县委、政府 (ab)", marks=True) == [
        "县委", "委", "、", "政府", "府", SPACE_TOKEN, chr(0xE000 + ord("(")), "ab", chr(0xE000 + ord(")")),
    ]  # fmt: skip
    assert tokens_of("a \n\t b", marks=True) == ["a", SPACE_TOKEN, "b"]  # any white space is one token
    assert tokens_of("县委、政府") == ["县委", "委", "政府", "府"]  # the admin stream has no marks


def test_document_numbers_are_one_exact_phrase_punctuation_included():
    (part,) = parse_query("木政发〔2015〕12号")
    assert part.exact_in_index
    assert part.atoms == (Atom(("木政", "政发", "发", "〔", "2015", "〕", "12", "号"), prefix=True),)
    assert matches(part, normalise("根据木政发〔2015〕12号文件"))
    assert not matches(part, normalise("木政发〔2016〕12号 2015"))
    assert not atom_found(part.atoms[0], tokens_of("木政发(2015)12号", marks=True))


def test_a_latin_query_matches_whole_words():
    (part,) = parse_query("wagtail")
    assert part.exact_in_index and part.whole_word == "wagtail"
    assert matches(part, normalise("基于 Wagtail 8 建设"))
    assert not matches(part, normalise("wagtails"))


def test_a_word_opening_a_phrase_may_end_a_longer_word():
    (part,) = parse_query("z服务")
    assert matches(part, normalise("zone z服务上线")) and matches(part, normalise("xyz服务"))
    assert all(atom_found(atom, tokens_of("xyz服务", marks=True)) for atom in part.atoms)


def test_white_space_and_opening_words_leave_the_decision_to_the_string_check():
    assert not parse_query('"协同 办公"')[0].exact_in_index  # one space in the query, several in a text
    assert not parse_query("z服务")[0].exact_in_index


def test_long_runs_are_looked_up_in_pieces_and_checked():
    (part,) = parse_query("政府" * 30)
    assert len(part.atoms) == 2 and not part.exact_in_index


@pytest.mark.parametrize("seed", range(6))
def test_the_index_never_loses_a_match_and_decides_exactly_where_it_claims_to(seed):
    """Property over generated texts and every query shape: a text that matches has every atom of
    the part (no false negatives); where the part is exact in the index, having the atoms is matching."""
    rng = random.Random(seed)
    alphabet = HAN * 3 + OTHER
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(5, 60))) for _ in range(120)]
    normalised = [normalise(t) for t in texts]
    streams = [stream_tokens(t, marks=True) for t in normalised]
    checked = 0
    for _ in range(200):
        source = rng.choice(texts)
        start = rng.randrange(len(source))
        shape = rng.random()
        if shape < 0.6:
            query = f'"{source[start : start + rng.randint(1, 9)]}"'
        elif shape < 0.8:
            query = rng.choice(HAN)
        else:
            query = rng.choice(["ab", "ab12", "12", "z", "号"])
        for part in parse_query(query):
            for text, stream in zip(normalised, streams, strict=True):
                indexed = all(atom_found(atom, stream) for atom in part.atoms)
                if matches(part, text):
                    assert indexed, (part, text)
                elif part.exact_in_index:
                    assert not indexed, (part, text)
                checked += 1
    assert checked > 10000
