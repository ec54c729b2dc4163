"""Excerpts of search hits: the first match, its neighbours marked, in texts where the words stand many times."""

from tuyengiao.core.search import excerpt_match, highlight, match_spans, query_terms
from tuyengiao.core.text import fold_aligned


def marked(pieces):
    return [piece for piece, is_match in pieces if is_match]


def test_the_excerpt_starts_near_the_first_match_and_marks_only_whole_words():
    text = "Mở đầu. " + "Công tác dân vận ở cơ sở. " * 200 + "Nghị quyết về tuyên giáo Hà Giang. " * 50
    pieces = highlight(text, "tuyen giao ha giang", folded_text=fold_aligned(text))
    excerpt = "".join(piece for piece, _ in pieces)
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert len(excerpt) < 240  # 220 characters; the last match may run past them
    assert marked(pieces)[0] == "tuyên giáo Hà Giang"
    assert all(piece in ("tuyên giáo Hà Giang", "tuyên giáo", "Hà Giang") for piece in marked(pieces))


def test_the_excerpt_neither_begins_nor_ends_inside_a_word():
    text = (
        "Mở đầu. "
        + "Các giải pháp chủ yếu nâng cao chất lượng. " * 20
        + "Chè Shan tuyết Hà Giang. "
        + "Công tác dân vận ở cơ sở. " * 20
    )
    excerpt = "".join(piece for piece, _ in highlight(text, "che shan tuyet", folded_text=fold_aligned(text)))
    assert excerpt.startswith("…") and excerpt.endswith("…") and len(excerpt) < 240
    inner = excerpt.removeprefix("…").removesuffix("…")
    assert inner == inner.strip()
    position = text.index(inner)  # once: it holds the one "Chè Shan tuyết"
    assert not text[position - 1].isalnum() and not text[position + len(inner)].isalnum()
    # Where no word of the query stands (they stand in the title), the opening of the text, in whole words.
    opening = highlight(text, "xyzzy", folded_text=fold_aligned(text))
    shown = "".join(piece for piece, _ in opening).removesuffix("…")
    assert text.startswith(shown) and 200 < len(shown) < 240 and not text[len(shown)].isalnum()
    assert opening[-1] == ("…", False) and not marked(opening)
    assert highlight("Ngắn thôi.", "xyzzy") == [("Ngắn thôi.", False)]
    # A run of letters longer than any word is cut where it falls: the excerpt keeps its width.
    letters = "x" * 500 + " Lũng Cú " + "y" * 500
    assert len("".join(piece for piece, _ in highlight(letters, "lung cu"))) == 222


def test_a_word_cut_by_the_end_of_the_excerpt_is_not_marked_as_a_match():
    # "giang" stands inside "giangmai" just at the excerpt's end: not a whole word, so not marked.
    text = "ha giang " + "x" * 200 + " giangmai"
    folded = fold_aligned(text)
    assert match_spans(folded, "giang", 0, len(text) - 4) == [(3, 8)]
    assert marked(highlight(text, "giang", width=len(text) - 4)) == ["giang"]


def test_the_excerpt_is_where_most_of_the_words_stand_together():
    text = (
        "Căn cứ Nghị quyết số 07-NQ/TU; căn cứ Kế hoạch số 12-KH/TU. " + "Nội dung khác. " * 40 + "Lên cột cờ Lũng Cú."
    )
    folded = fold_aligned(text)
    assert excerpt_match(folded, "lung cu") == folded.index("lung")
    assert marked(highlight(text, "Lũng Cú", folded_text=folded)) == ["Lũng Cú"]
    assert excerpt_match(folded, "can cu") == 0  # both words from the start: the earliest place
    assert excerpt_match(folded, "ang") is None  # only inside words
    assert excerpt_match(folded, "") is None


def test_the_terms_of_a_query_are_returned_as_new_lists_each_time():
    accented, folded = query_terms('"Hà Giang" tuyên giáo')
    accented.append("changed")
    assert query_terms('"Hà Giang" tuyên giáo') == (["hà giang", "tuyên", "giáo"], ["ha giang", "tuyen", "giao"])


def test_a_text_given_without_its_folded_form_is_shown_in_nfc():
    import unicodedata

    stored = "Nghị quyết về công tác tuyên giáo ở Hà Giang."
    decomposed = unicodedata.normalize("NFD", stored)
    pieces = highlight(decomposed, "tuyen giao")
    assert "".join(piece for piece, _ in pieces) == stored and marked(pieces) == ["tuyên giáo"]
    assert highlight(stored, "tuyen giao", folded_text=fold_aligned(stored)) == pieces
