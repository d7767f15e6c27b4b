"""The analyzer's promises, including the property the index relies on: no false negatives."""

import random

import pytest

from zhengtong.search.analyzer import index_terms, matches, normalise, parse_query, required_terms

# A small alphabet so random texts share many bigrams, as real government text does.
HAN = "政府信息公开协同办公平台县长木垒网站建设服务"
OTHER = "ab12 ，。〔〕号Ｚ"


def test_chinese_runs_become_unigrams_and_bigrams():
    terms = index_terms("协同办公平台")
    assert {"协同", "同办", "办公", "公平", "平台"} <= set(terms)
    assert {"协", "同", "办", "公", "平", "台"} <= set(terms)
    assert "协同办公" not in terms  # no whole-run token: that was the stock behaviour that missed sub-words


def test_latin_words_and_numbers_stay_whole():
    terms = index_terms("木政发〔2015〕12号 GB/T 9704-2012 Wagtail")
    assert {"2015", "12", "gb", "t", "9704", "2012", "wagtail", "木政", "政发", "号"} <= set(terms)
    assert "201" not in terms


def test_normalisation_folds_width_and_case():
    assert normalise("ＡＢＣ１２３") == "abc123"
    assert index_terms("ＧＢ") == index_terms("gb")


def test_mixed_scripts_split_at_the_boundary():
    assert set(index_terms("abc中文")) == {"abc", "中", "文", "中文"}


def test_query_words_and_quoted_phrases():
    parts = parse_query('协同办公  "政府 网站" “信息公开”')
    assert [p.phrase for p in parts] == ["协同办公", "政府 网站", "信息公开"]
    assert parts[0].terms == ("协同", "同办", "办公")
    assert parse_query("，。 ") == []


def test_document_numbers_are_checked_as_written():
    (part,) = parse_query("木政发〔2015〕12号")
    assert part.needs_substring_check
    assert matches(part, normalise("根据木政发〔2015〕12号文件"))
    assert not matches(part, normalise("木政发〔2016〕12号 2015"))


def test_bigrams_apart_are_not_a_match():
    (part,) = parse_query("协同办公")
    text = normalise("协同工作，办公平台")  # 协同 and 办公 occur, but not 协同办公
    assert all(term in index_terms(text) for term in ("协同", "办公"))
    assert not matches(part, text)


@pytest.mark.parametrize("seed", range(5))
def test_index_terms_never_miss_a_text_that_contains_the_query(seed):
    """Property: for generated texts and queries, filtering by required terms then checking the
    string gives exactly the texts whose normalised form contains the query."""
    rng = random.Random(seed)
    alphabet = HAN * 3 + OTHER
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(5, 60))) for _ in range(150)]
    normalised = [normalise(t) for t in texts]
    indexed = [index_terms(t) for t in texts]
    for _ in range(150):
        source = rng.choice(texts)
        start = rng.randrange(len(source))
        query = source[start : start + rng.randint(2, 8)] if rng.random() < 0.7 else "".join(rng.sample(HAN, 3))
        if not any(ch in HAN for ch in query):
            continue
        parts = parse_query(f'"{query}"')
        if not parts:
            continue
        (part,) = parts
        expected = {i for i, text in enumerate(normalised) if part.phrase in text}
        candidates = {i for i, terms in enumerate(indexed) if all(term in terms for term in part.terms)}
        assert expected <= candidates, (query, part)  # the index never loses a true match
        found = {i for i in candidates if matches(part, normalised[i])}
        assert found == expected, (query, part)


def test_required_terms_of_a_single_character():
    assert required_terms("政") == ["政"]
    assert required_terms("政府政府") == ["政府", "府政"]


def test_a_word_at_the_edge_of_a_chinese_phrase_may_be_part_of_a_longer_word():
    (part,) = parse_query("服务z")
    assert "z" not in part.terms
    assert matches(part, normalise("政务服务zone上线"))


def test_a_latin_query_matches_whole_words():
    (part,) = parse_query("wagtail")
    assert not part.needs_substring_check
    assert matches(part, normalise("基于 Wagtail 8 建设"))
    assert not matches(part, normalise("wagtails"))
