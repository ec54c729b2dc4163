"""Document numbers (số ký hiệu) of Party and State documents.

Party documents are numbered ``19-CT/TW`` (number-type/issuer), State documents
``30/2020/NĐ-CP`` (number/year/type-issuer) or, without a year, ``123/QĐ-UBND``.
People and OCR write them loosely ("19/CT-TW", "19 - CT/TW", "Số 19–CT/TW"); one
parser turns every form into the canonical one. Party numbers restart each term,
so the number alone is not a key: (number, issue date, issuer) is.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tuyengiao.core.errors import DomainError
from tuyengiao.core.text import fold, nfc

PARTY = "party"
STATE = "state"

_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d]")
_SLASHES = re.compile(r"[\u2044\u2215\uff0f]")
_PREFIX = re.compile(r"^(?:s[oốô]|no\.?|number)\s*[:.]?\s*", re.IGNORECASE)
_AROUND_SEPARATORS = re.compile(r"\s*([-/])\s*")
_CODE = r"[A-ZĐ][A-ZĐ0-9]*"

_STATE_WITH_YEAR = re.compile(rf"^(\d{{1,5}})/((?:19|20)\d\d)/({_CODE})-({_CODE}(?:-{_CODE})?)$")
_PARTY = re.compile(rf"^(\d{{1,5}})[- ]({_CODE})[/-]({_CODE}(?:-{_CODE})?)$")
_SLASH_FIRST = re.compile(rf"^(\d{{1,5}})/({_CODE})-({_CODE}(?:-{_CODE})?)$")
# A Party number with spaces for its marks ("07 CT TW", "số 238 qđ tw"), matched on the folded text.
_SPACED = re.compile(r"^(?:so:?\s+)?(?P<number>\d{1,5})\s+(?P<type>[a-z]+)\s+(?P<issuer>[a-z]+(?:-[a-z]+)?)$")

# Codes typed without Đ; only those that cannot mean something else.
_TYPE_WITHOUT_D = {"QD": "QĐ", "ND": "NĐ", "DA": "ĐA"}
_ISSUER_WITHOUT_D = {"DU": "ĐU", "DUK": "ĐUK", "HDND": "HĐND", "BCSD": "BCSĐ", "BCSDD": "BCSĐ"}
# Party issuers: the Central Committee (TW) and committees of provinces (TU), districts (HU),
# towns (ThU), grassroots (ĐU), and bodies named after them (BTGTU, VPTW, ĐUK...).
_PARTY_ISSUER = re.compile(r"^(?:TW|TU|HU|THU|QU|ĐU|ĐUK|BCSĐ|BCĐ.*|.*(?:TW|TU|HU|THU|QU|ĐU))$")


class DocumentNumberError(DomainError):
    code = "invalid_document_number"


@dataclass(frozen=True)
class DocumentNumber:
    number: int
    type_code: str
    issuer_code: str
    system: str
    year: int | None = None

    def __str__(self) -> str:
        number = f"{self.number:02d}"
        if self.system == PARTY:
            return f"{number}-{self.type_code}/{self.issuer_code}"
        if self.year:
            return f"{number}/{self.year}/{self.type_code}-{self.issuer_code}"
        return f"{number}/{self.type_code}-{self.issuer_code}"


def _clean(text: str) -> str:
    text = nfc(text).strip()
    text = _DASHES.sub("-", text)
    text = _SLASHES.sub("/", text)
    text = _PREFIX.sub("", text)
    text = text.strip(" \t.,;:()")
    text = _AROUND_SEPARATORS.sub(r"\1", text)
    return text.upper().replace("Ð", "Đ").replace("Ɖ", "Đ")


def _is_party_issuer(issuer: str) -> bool:
    return bool(_PARTY_ISSUER.match(issuer))


def document_number_parse(text: str) -> DocumentNumber:
    """Parse a loosely written number; raise DocumentNumberError if it is none."""
    cleaned = _clean(text or "")
    if match := _STATE_WITH_YEAR.match(cleaned):
        number, year, type_code, issuer = match.groups()
        return DocumentNumber(
            number=int(number),
            year=int(year),
            type_code=_TYPE_WITHOUT_D.get(type_code, type_code),
            issuer_code=_ISSUER_WITHOUT_D.get(issuer, issuer),
            system=STATE,
        )
    for pattern in (_PARTY, _SLASH_FIRST):
        if match := pattern.match(cleaned):
            number, type_code, issuer = match.groups()
            issuer = _ISSUER_WITHOUT_D.get(issuer, issuer)
            is_party = pattern is _PARTY or _is_party_issuer(issuer)
            return DocumentNumber(
                number=int(number),
                type_code=_TYPE_WITHOUT_D.get(type_code, type_code),
                issuer_code=issuer,
                system=PARTY if is_party else STATE,
            )
    raise DocumentNumberError(
        _("“%(text)s” is not a document number. Write it as 19-CT/TW or 30/2020/NĐ-CP.")
        % {"text": (text or "").strip()[:60]}
    )


def document_number_spaced(text: str, type_codes: Callable[[], Iterable[str]]) -> DocumentNumber | None:
    """The Party number written with spaces for its marks ("07 CT TW"), or None. It is one only where its middle
    word is the code of a document type: any number and two words ("2020 ha giang") would otherwise be taken for
    a number. `type_codes` gives those codes; it is called only for text of that shape."""
    match = _SPACED.match(fold(text or ""))
    if not match or match["type"] not in {fold(code) for code in type_codes()}:
        return None
    try:
        return document_number_parse(f"{match['number']}-{match['type']}/{match['issuer']}")
    except DocumentNumberError:
        return None


def document_number_normalize(text: str) -> str:
    """The canonical form of a number, e.g. "19/CT-TW" → "19-CT/TW"."""
    return str(document_number_parse(text))
