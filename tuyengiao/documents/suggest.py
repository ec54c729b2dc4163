"""Metadata read from a document's first page, for staff to confirm: number, type, place and date, issuer,
and the numbers named in its "Căn cứ …" lines (relations "is based on")."""

import re

from tuyengiao.core.docnumbers import DocumentNumberError, document_number_parse
from tuyengiao.core.text import fold, nfc

_NUMBER = re.compile(r"\bS[ốôo]\s*[:.]?\s*([0-9][0-9A-Za-zĐđ\-–/ ]{2,40})", re.IGNORECASE)
_DATE = re.compile(
    r"(?P<place>[^\n,]{2,40}),\s*ng[àa]y\s+(?P<day>\d{1,2})\s+th[áa]ng\s+(?P<month>\d{1,2})\s+n[ăa]m\s+(?P<year>\d{4})",
    re.IGNORECASE,
)
_LOOSE_NUMBER = re.compile(r"\b(\d{1,5}\s*[-–/]\s*(?:\d{4}\s*/\s*)?[A-ZĐ][A-ZĐa-z0-9]*\s*[-–/]\s*[A-ZĐ][A-ZĐ0-9-]*)")
_BASED_ON = re.compile(r"^\s*[-–•]?\s*C[ăa]n\s+c[ứu]\b(.*)$", re.IGNORECASE | re.MULTILINE)


def _number_in(text: str) -> str:
    for candidate in _LOOSE_NUMBER.findall(text):
        try:
            return str(document_number_parse(candidate))
        except DocumentNumberError:
            continue
    return ""


def _known_name(folded: str) -> str:
    """The spelling of a stored issuer or unit whose name folds to `folded` (headings are in capitals)."""
    from tuyengiao.documents.models import Issuer
    from tuyengiao.orgs.models import Unit

    for name in [*Issuer.objects.values_list("name", flat=True), *Unit.objects.values_list("name", flat=True)]:
        if fold(name) == folded:
            return name
    return ""


def metadata_suggest(first_page: str) -> tuple[dict, list[str]]:
    """({"number", "type", "issued_on", "place", "issuer"} as far as found, [numbers in "Căn cứ" lines])."""
    from tuyengiao.documents.models import DocumentType

    text = nfc(first_page or "")
    values: dict[str, str] = {}
    if match := _NUMBER.search(text):
        if number := _number_in(match.group(1)):
            values["number"] = number
    if match := _DATE.search(text):
        day, month, year = int(match["day"]), int(match["month"]), int(match["year"])
        if 1 <= day <= 31 and 1 <= month <= 12 and 1945 <= year <= 2100:
            values["issued_on"] = f"{year:04d}-{month:02d}-{day:02d}"
            values["place"] = match["place"].strip(" -–*")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    folded_lines = [fold(line) for line in lines]
    names = {fold(kind.name): kind.name for kind in DocumentType.objects.all()}
    for folded in folded_lines[:25]:
        if folded in names:  # the type stands alone on a line in capitals: "CHỈ THỊ"
            values["type"] = names[folded]
            break
    for line in lines[:6]:
        folded = fold(line)
        if folded.startswith(("ban ", "tinh uy", "huyen uy", "thanh uy", "dang uy", "uy ban", "hoi dong")):
            values["issuer"] = _known_name(folded) or (line.capitalize() if line.isupper() else line)
            break
    related = []
    for match in _BASED_ON.finditer(text):
        for candidate in _LOOSE_NUMBER.findall(match.group(1)):
            try:
                number = str(document_number_parse(candidate))
            except DocumentNumberError:
                continue
            if number not in related and number != values.get("number"):
                related.append(number)
    return values, related
