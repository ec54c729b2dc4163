"""What every search box shares: the terms of a query and highlighted excerpts.

A query is words and "phrases in quotes"; matching is on folded text (core.text.fold), so the
excerpt of "ha giang" marks "Hà Giang" in the original text.
"""

import re

from tuyengiao.core.text import fold_aligned, nfc, search_text

MAX_TERMS = 10
_TERM = re.compile(r'"([^"]+)"|(\S+)')
_WORD_CHAR = re.compile(r"\w")


def query_terms(query: str) -> tuple[list[str], list[str]]:
    """Phrases in quotes stay whole; returns (accented terms, folded terms)."""
    query = nfc(query or "")
    raw = [phrase or word for phrase, word in _TERM.findall(query)]
    raw = [term.strip() for term in raw if search_text(term).strip()][:MAX_TERMS]
    return [term.lower() for term in raw], [search_text(term).strip() for term in raw]


def match_spans(folded_text: str, query: str) -> list[tuple[int, int]]:
    """Where the query's terms stand in a text folded with fold_aligned, merged and in order."""
    _accented, folded_terms = query_terms(query)
    spans = []
    for term in folded_terms:
        # No look-behind: it would stop the regex engine from scanning fast for the literal word; the
        # character before a match is checked here instead.
        pattern = r"\W+".join(re.escape(word) for word in term.split()) + r"(?!\w)"
        spans.extend(
            (match.start(), match.end())
            for match in re.finditer(pattern, folded_text)
            if not match.start() or not _WORD_CHAR.match(folded_text, match.start() - 1)
        )
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


def highlight(
    text: str, query: str, *, width: int = 220, folded_text: str | None = None, spans=None
) -> list[tuple[str, bool]]:
    """An excerpt of `text` around the first match, as (piece, is_match) pairs for the template.

    `folded_text` (fold_aligned(text), stored beside long texts) saves folding it again.
    """
    text = nfc(text)
    if folded_text is None or len(folded_text) != len(text):
        folded_text = fold_aligned(text)
    if spans is None:
        spans = match_spans(folded_text, query)
    if not spans:
        return [(text[:width], False)] if text else []
    start = max(0, spans[0][0] - width // 3)
    end = min(len(text), start + width)
    pieces, cursor = [], start
    for begin, finish in spans:
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
