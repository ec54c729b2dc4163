"""What every search box shares: the terms of a query and highlighted excerpts.

A query is words and "phrases in quotes"; matching is on folded text (core.text.fold), so the
excerpt of "ha giang" marks "Hà Giang" in the original text.
"""

import functools
import re

from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from tuyengiao.core.text import fold_aligned, nfc, search_text

MAX_TERMS = 10
QUERY_MAX_LENGTH = 200  # characters of a search box that are searched
QUERY_TOO_LONG = _("Too many words: only the first %(limit_value)d characters were searched.")
_TERM = re.compile(r'"([^"]+)"|(\S+)')
_WORD_CHAR = re.compile(r"\w")
EXCERPT_WIDTH = 220  # characters of an excerpt
_WORD_MARGIN = 100  # characters past an excerpt's end in which a match that starts inside it may end


def _query_cleaned(typed: str | None) -> str:
    return (typed or "").replace("\x00", " ").strip()


def query_typed(typed: str | None) -> str:
    """What a search box sent, fit to search and to show back in the box: a NUL (which PostgreSQL refuses, and a
    browser shows as "�") stands as a space, and only the first QUERY_MAX_LENGTH characters are kept."""
    return _query_cleaned(typed)[:QUERY_MAX_LENGTH]


def query_problems(typed: str | None) -> list[str]:
    """What query_typed changed of what a search box sent, as messages for the reader: a NUL, and words past the
    first QUERY_MAX_LENGTH characters (the messages of the documents' search form for the same)."""
    problems = [str(ProhibitNullCharactersValidator.message)] if "\x00" in (typed or "") else []
    if len(_query_cleaned(typed)) > QUERY_MAX_LENGTH:
        problems.append(QUERY_TOO_LONG % {"limit_value": QUERY_MAX_LENGTH})
    return problems


def query_terms(query: str) -> tuple[list[str], list[str]]:
    """Phrases in quotes stay whole; returns (accented terms, folded terms)."""
    accented, folded = _terms(query or "")
    return list(accented), list(folded)


@functools.lru_cache(maxsize=512)
def _terms(query: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """query_terms, parsed once per distinct query (a page of hits asks it for every title and excerpt)."""
    raw = [phrase or word for phrase, word in _TERM.findall(nfc(query))]
    raw = [term.strip() for term in raw if search_text(term).strip()][:MAX_TERMS]
    return tuple(term.lower() for term in raw), tuple(search_text(term).strip() for term in raw)


@functools.lru_cache(maxsize=512)
def _patterns(query: str) -> tuple[re.Pattern, ...]:
    """One compiled pattern per folded term: its words separated by anything but word characters, ending at the
    end of a word. No look-behind: it would stop the regex engine from scanning fast for the literal word; the
    character before a match is checked by match_spans instead."""
    return tuple(
        re.compile(r"\W+".join(re.escape(word) for word in term.split()) + r"(?!\w)") for term in _terms(query)[1]
    )


def _starts(pattern: re.Pattern, folded_text: str, start: int = 0, end: int | None = None):
    """The matches of one term's pattern in folded_text[start:end] that begin a word."""
    for match in pattern.finditer(folded_text, start, len(folded_text) if end is None else end):
        if not match.start() or not _WORD_CHAR.match(folded_text, match.start() - 1):
            yield match


def excerpt_match(folded_text: str, query: str, width: int = EXCERPT_WIDTH) -> int | None:
    """Where the excerpt of a text folded with fold_aligned is centred: on the first match of one of the query's
    terms whose excerpt shows the most of the terms ("Lũng Cú" where both words stand, not the first "cứ" of a
    "Căn cứ" line), the earliest of those; None where no term stands."""
    patterns = _patterns(query or "")
    firsts = sorted(
        match.start() for match in (next(_starts(pattern, folded_text), None) for pattern in patterns) if match
    )
    if len(firsts) <= 1:
        return firsts[0] if firsts else None

    def shown(position: int) -> int:
        start = max(0, position - width // 3)
        return sum(1 for pattern in patterns if next(_starts(pattern, folded_text, start, start + width), None))

    return max(firsts, key=lambda position: (shown(position), -position))


def match_spans(folded_text: str, query: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Where the query's terms stand in a text folded with fold_aligned (or in its part start..end), merged and
    in order."""
    # A match is looked for a little past the end, so that a word cut at the end is not taken for a whole one.
    until = None if end is None else min(len(folded_text), end + _WORD_MARGIN)
    spans = [
        (match.start(), match.end())
        for pattern in _patterns(query or "")
        for match in _starts(pattern, folded_text, start, until)
        if end is None or match.start() < end
    ]
    if not spans:
        return []
    spans.sort()
    merged = [spans[0]]
    for begin, finish in spans[1:]:
        if begin <= merged[-1][1] or not folded_text[merged[-1][1] : begin].strip():
            merged[-1] = (merged[-1][0], max(finish, merged[-1][1]))  # "Hà" + "Giang" → "Hà Giang"
        else:
            merged.append((begin, finish))
    return merged


_WORD_START = re.compile(r"(?<!\w)\w")
_NOT_WORD = re.compile(r"\W")
_WORD_LONGEST = 24  # characters an excerpt's first or last word is made whole by, at most


def _whole_words(folded_text: str, start: int, first: int, width: int) -> tuple[int, int]:
    """The excerpt start..start+width moved so that it neither begins nor ends inside a word ("…giải pháp", not
    "…háp"): its start on to the next word, at most to the match at `first` (which begins one); its end on to the end
    of the word it would cut, or back before the spaces it ends on. A run of letters longer than _WORD_LONGEST is cut
    where it falls."""
    if start and _WORD_CHAR.match(folded_text, start - 1):
        word = _WORD_START.search(folded_text, start, min(first, start + _WORD_LONGEST) + 1)
        start = word.start() if word else start
    end = min(len(folded_text), start + width)
    if end < len(folded_text) and _WORD_CHAR.match(folded_text, end - 1):
        after = _NOT_WORD.search(folded_text, end, end + _WORD_LONGEST)
        end = after.start() if after else end
    while first < end < len(folded_text) and folded_text[end - 1].isspace():
        end -= 1  # "…ở cơ sở…", not "…ở cơ sở …"
    return start, end


def highlight(
    text: str, query: str, *, width: int = EXCERPT_WIDTH, folded_text: str | None = None, first: int | None = None
) -> list[tuple[str, bool]]:
    """An excerpt of `text` around its best match (excerpt_match), as (piece, is_match) pairs for the template.

    `folded_text` (fold_aligned(text), stored beside long texts) saves folding it again, and `first`, where
    excerpt_match of it put the excerpt, finding it again; `text` is then the stored text, NFC already, and is not
    normalised again (a pass over each whole text). Only the excerpt's part of the text is searched for the matches
    it marks, however often the words stand in a long text.
    """
    if folded_text is None or len(folded_text) != len(text):
        text = nfc(text)
        folded_text, first = fold_aligned(text), None
    if first is None:
        first = excerpt_match(folded_text, query, width)
    if first is None:  # no match: the opening of the text, in whole words
        end = _whole_words(folded_text, 0, 0, width)[1]
        return [(text[:end], False), *([("…", False)] if end < len(text) else [])] if text else []
    start, end = _whole_words(folded_text, max(0, first - width // 3), first, width)
    pieces, cursor = [], start
    for begin, finish in match_spans(folded_text, query, start, end):
        if begin < cursor or begin >= end:
            continue
        pieces.append((text[cursor:begin], False))
        pieces.append((text[begin:finish], True))
        cursor = finish
    pieces.append((text[cursor:end], False))
    if start > 0:
        pieces.insert(0, ("…", False))
    if end < len(text):
        pieces.append(("…", False))
    return [piece for piece in pieces if piece[0]]
