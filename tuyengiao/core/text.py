"""Vietnamese text rules of DESIGN.md: store NFC, match on folded text."""

import functools
import re
import unicodedata

# Đ/đ and the Icelandic look-alike Ð/ð (often typed by mistake) fold to d.
_D_LIKE = str.maketrans({"Đ": "d", "đ": "d", "Ð": "d", "ð": "d", "Ɖ": "d", "ɖ": "d"})
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Return text in Unicode NFC, the form in which all text is stored."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Fold text for matching: NFC, lower case, đ → d, no combining marks, single spaces.

    "Đảng bộ", its NFD form and "dang bo" all fold to "dang bo"; so do the old and
    new tone placements "hoà" and "hòa".
    """
    text = nfc(text).lower().translate(_D_LIKE)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()


_WORDS = re.compile(r"\w+")


def search_text(text: str) -> str:
    """Folded words between single spaces, with a space at each end: " dang bo tinh ".

    Stored beside a record, it lets any database find whole words or phrases with a plain
    substring test: " ha giang " is in it only if those two words stand together.
    """
    return " " + " ".join(_WORDS.findall(fold(text))) + " "


def fold_aligned(text: str) -> str:
    """Fold character by character, keeping the length: position i of the result is character i of `text`.

    Used to find folded matches in a stored text and mark them in the original. Characters whose
    folding is not one character (rare outside Vietnamese) stay as they are, lower-cased if possible.
    """
    return text.translate(_ALIGNED)


class _AlignedTable(dict):
    """fold_aligned's table for str.translate, filled as characters are met (a few hundred in Vietnamese texts)."""

    def __missing__(self, code: int) -> str | int:
        folded = _fold_char(chr(code))
        value = code if folded is None else folded
        if len(self) < 10_000:  # any text may hold rare characters; the table keeps the first ten thousand met
            self[code] = value
        return value


_ALIGNED = _AlignedTable()


@functools.lru_cache(maxsize=8192)
def _fold_char(char: str) -> str | None:
    folded = fold(char)
    if len(folded) == 1:
        return folded
    lowered = char.lower()
    return lowered if len(lowered) == 1 else None
