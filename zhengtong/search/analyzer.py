"""The one text analyzer of Zhengtong's search, used at index time and at query time.

Chinese has no spaces, and stock analyzers treat a run of Chinese characters
as one token, so a search for 协同办公 misses 协同办公平台运行良好. Here, as in
Lucene's CJK analyzer, a run of Chinese characters becomes its overlapping
two-character tokens (bigrams), followed by its last character so that
one-character queries work. Latin words and numbers stay whole, so document
numbers (木政发〔2015〕12号) and years are findable. The databases store these
token streams with positions (SQLite FTS5, PostgreSQL tsvector; ``engines.py``),
so SQLite and PostgreSQL share one analyzer and need no extension.

A query of Chinese characters is a phrase of adjacent bigrams, which is exactly
"the text contains this string"; a part with punctuation or several runs is
narrowed by its phrase and decided by a string check on the normalised text.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits, compatibility ideographs) then case folding."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def is_han(char: str) -> bool:
    """A Chinese character (CJK Unified Ideographs and their extensions, 〇)."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF  # CJK Unified Ideographs
        or 0x3400 <= code <= 0x4DBF  # Extension A
        or 0x20000 <= code <= 0x323AF  # Extensions B–H
        or 0xF900 <= code <= 0xFAFF  # Compatibility Ideographs (NFKC maps most away)
        or code == 0x3007  # 〇
    )


_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
# A run of Chinese characters, or a run of other letters and digits (Latin, Cyrillic, Uyghur, Kazakh …);
# Python counts Han characters as word characters too, so the word run excludes them explicitly.
_RUN = re.compile(rf"(?P<han>[{_HAN}]+)|(?P<word>(?:(?![{_HAN}])[^\W_])+)")
# The same, plus marks: each punctuation character, and each run of white space.
_TOKEN = re.compile(_RUN.pattern + r"|(?P<mark>\s+|[^\w\s]|_)")
# ASCII punctuation would split tokens in SQLite's ascii tokenizer, so a mark token is the character
# moved to the private use area (U+E000 + its code); white space of any length is one token.
_MARK_BASE = 0xE000
SPACE_TOKEN = chr(_MARK_BASE + 0x20)


def _mark_token(mark: str) -> str:
    if mark.isspace():
        return SPACE_TOKEN
    return chr(_MARK_BASE + ord(mark)) if ord(mark) < 0x80 else mark


def _spans(normalised: str, marks: bool = False):
    for match in (_TOKEN if marks else _RUN).finditer(normalised):
        kind = match.lastgroup
        yield kind, match.group(), match.start(), match.end()


def stream_tokens(normalised: str, *, marks: bool = False) -> list[str]:
    """The token stream the full-text index stores for an already normalised text, in order.

    A Chinese run becomes its overlapping bigrams followed by its last character
    (协同办公 → 协同 同办 办公 公); a run of one character is that character; other
    words stay whole. Positions are what make this exact: a query's bigrams must
    stand next to each other (a phrase), and the run's closing character keeps a
    phrase from running on into the next run (协同。同办 never matches 协同办).
    Every occurrence of a character starts a token (a bigram, or the closing
    character), so a one-character query is a prefix query over tokens.

    With ``marks`` (the public index) punctuation and white space are tokens too, so
    the stream accounts for every character and a phrase across punctuation
    (县委、政府) is decided by the index without reading the text.
    """
    tokens: list[str] = []
    for match in (_TOKEN if marks else _RUN).finditer(normalised):
        run = match.group()
        if match.lastgroup == "han":
            if len(run) > 1:
                # map over two slices runs in C: this is the hot loop of indexing.
                tokens += map(str.__add__, run[:-1], run[1:])
            tokens.append(run[-1])
        else:
            tokens.append(run if match.lastgroup == "word" else _mark_token(run))
    return tokens


@dataclass(frozen=True)
class Atom:
    """One full-text condition: a phrase of adjacent tokens, or a prefix (one Chinese character)."""

    tokens: tuple[str, ...]
    prefix: bool = False


# A Chinese run longer than this many bigrams is looked up in pieces (and then checked as a string):
# PostgreSQL keeps long texts without positions beyond this bound (see engines.py).
MAX_PHRASE_TOKENS = 32


@dataclass(frozen=True)
class QueryPart:
    """One thing every result must contain: a quoted phrase or a space-separated word."""

    phrase: str  # normalised; results contain exactly this string, or this whole word (see ``whole_word``)

    @cached_property
    def whole_word(self) -> str:
        """The word, when the part is one word without Chinese: matched whole, punctuation around ignored,
        as users of Latin-script search expect (wagtail does not find wagtails)."""
        spans = list(_spans(self.phrase))
        return spans[0][1] if len(spans) == 1 and spans[0][0] == "word" else ""

    @cached_property
    def atoms(self) -> tuple[Atom, ...]:
        """Full-text conditions every text containing this part satisfies (ANDed): its phrase, in pieces
        when long. A word opening a part of several runs may be the end of a longer word in the text
        (查询"z服务" inside "zone…z服务"), so it is left to the string check."""
        if self.whole_word:
            return (Atom((self.whole_word,)),)
        tokens, prefix = phrase_tokens(self.phrase, prefix_word=True, opening_word=False, marks=True)
        pieces = [tokens[i : i + MAX_PHRASE_TOKENS] for i in range(0, len(tokens), MAX_PHRASE_TOKENS)]
        return tuple(Atom(tuple(piece), prefix=prefix and n == len(pieces) - 1) for n, piece in enumerate(pieces))

    @cached_property
    def exact_in_index(self) -> bool:
        """Whether the full-text conditions alone decide a match (no string check needed).

        The index holds every character (runs, punctuation, white space), so a part is
        decided by its phrase unless it has white space in it (a run of any length is one
        token), opens with a word (which may end a longer word in the text), or is longer
        than one phrase lookup.
        """
        if self.whole_word:
            return True
        spans = list(_spans(self.phrase, marks=True))
        opening_word = spans[0][0] == "word" and len(spans) > 1
        return not (opening_word or any(c.isspace() for c in self.phrase) or len(self.atoms) > 1)

    @cached_property
    def positional(self) -> bool:
        """Whether matching uses token positions (a phrase of two or more tokens)."""
        return any(len(atom.tokens) > 1 for atom in self.atoms)


_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|(\S+)')


def parse_query(query: str) -> list[QueryPart]:
    """Split a user's query into parts that must all match.

    Words separated by spaces must all occur; "quoted phrases" (ASCII or Chinese
    quotes) are matched as written, spaces included. Parts with nothing
    searchable (punctuation only) are dropped.
    """
    parts = []
    for match in _QUOTED.finditer(normalise(query)):
        phrase = next(g for g in match.groups() if g is not None).strip()
        if next(_spans(phrase), None):
            parts.append(QueryPart(phrase=phrase))
    return list(dict.fromkeys(parts))


def matches(part: QueryPart, normalised_text: str) -> bool:
    """Whether an already normalised text satisfies one query part (the ground truth the index must agree with)."""
    if part.whole_word:
        return part.whole_word in stream_tokens(normalised_text)
    return part.phrase in normalised_text


# --- Phrases over the token stream, for the Wagtail backend of staff search (no string check there) -------


def phrase_tokens(
    normalised_phrase: str, *, prefix_word: bool = False, opening_word: bool = True, marks: bool = False
) -> tuple[list[str], bool]:
    """The tokens that follow each other in ``stream_tokens`` of every text containing the phrase.

    Returns the tokens and whether the last one need only start a token (prefix match). The phrase may
    begin or end inside a run of the text: a Chinese run touching the phrase's end contributes only its
    bigrams (a single character becomes a prefix), since the text's run may go on; any other run ends
    where the text's run ends, so it contributes its last character too. In a phrase with Chinese, a word
    at the end is a prefix (查询"务z" inside "服务zone"); with ``prefix_word`` (autocomplete) so is a word
    ending any phrase. A word at the phrase's start must be whole in the text: a token index cannot match
    the end of a word; without ``opening_word`` (the public search, which checks the string) such a word
    is left out when more of the phrase follows. With ``marks``, punctuation and white space are tokens,
    as in a stream made with ``marks``.
    """
    spans = list(_spans(normalised_phrase, marks=marks))
    has_han = any(kind == "han" for kind, *_ in spans)
    tokens: list[str] = []
    prefix = False
    for kind, run, start, end in spans:
        at_end = end == len(normalised_phrase)
        if kind == "word" and not opening_word and start == 0 and len(spans) > 1:
            continue
        if kind == "mark":
            tokens.append(_mark_token(run))
            prefix = False
        elif kind == "han":
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
            if not at_end or len(run) == 1:
                tokens.append(run[-1])
            prefix = at_end and len(run) == 1
        else:
            tokens.append(run)
            prefix = at_end and (has_han or prefix_word)
    return tokens, prefix
