"""Writes of the documents store: records, files, text, relations."""

import datetime
import re

from django.db import connection, transaction
from django.utils.translation import gettext as _

from tuyengiao.core.docnumbers import DocumentNumberError, document_number_parse, document_number_spaced
from tuyengiao.core.errors import InvalidInputError
from tuyengiao.core.services import audit_record
from tuyengiao.core.text import fold, fold_aligned, nfc
from tuyengiao.documents.models import (
    Document,
    DocumentFile,
    DocumentType,
    FacetTally,
    Issuer,
    Level,
    Relation,
    RelationKind,
    Status,
    StoreChange,
    Suggestion,
)
from tuyengiao.documents.search import head_text

PAGE_BREAK = "\f"
STORE_CHANGES_KEPT = 100  # rows of StoreChange kept at least (documents_changed); the version reads them all
LEVEL_OF_UNIT_KIND = {"province": Level.PROVINCE, "district": Level.DISTRICT, "commune": Level.COMMUNE}
# What a relation does to the status of the document it points at.
STATUS_AFTER = {
    RelationKind.REPLACES: Status.EXPIRED,
    RelationKind.REPEALS: Status.EXPIRED,
    RelationKind.AMENDS: Status.PARTLY_EXPIRED,
}


class DocumentError(InvalidInputError):
    code = "invalid_document"


def number_fields(number: str) -> tuple[str, str, int | None, str]:
    """(number as shown, key, the number's integer, type code) for a number as typed. "07 CT TW" is 07-CT/TW, as
    search reads it; the document types are read only for a number of that shape."""
    number = nfc(number or "").strip()
    if not number:
        return "", "", None, ""
    try:
        parsed = document_number_parse(number)
    except DocumentNumberError:
        parsed = document_number_spaced(number, lambda: DocumentType.objects.values_list("code", flat=True))
        if parsed is None:
            digits = re.match(r"\d+", number)
            return number, fold(number), int(digits.group()) if digits else None, ""
    return str(parsed), str(parsed), parsed.number, parsed.type_code


def type_for_code(code: str) -> DocumentType | None:
    return DocumentType.objects.filter(code__iexact=code).order_by("order").first() if code else None


_TERM = re.compile(r"^(?P<name>.*?)\s+kh(?:óa|oá|oa)\s+(?P<term>[IVXLC]+)$", re.IGNORECASE)


def _issuer_parts(text: str) -> tuple[str, str]:
    text = " ".join(nfc(text or "").split())
    if match := _TERM.match(text):
        return match.group("name"), match.group("term").upper()
    return text, ""


def issuer_lookup(text: str) -> Issuer | None:
    """The stored issuer named `text` ("Ban Bí thư Trung ương Đảng khóa XII": the term is XII), if any."""
    name, term = _issuer_parts(text)
    if not name:
        return None
    return next((issuer for issuer in Issuer.objects.filter(term=term) if fold(issuer.name) == fold(name)), None)


def issuer_get_or_create(text: str) -> Issuer | None:
    """The issuer named `text`, made if new; one of our units with that name becomes its unit."""
    from django.utils.text import slugify

    from tuyengiao.orgs.models import Unit

    name, term = _issuer_parts(text)
    if not name:
        return None
    if issuer := issuer_lookup(text):
        return issuer
    unit = next((unit for unit in Unit.objects.all() if fold(unit.name) == fold(name)), None)
    level = LEVEL_OF_UNIT_KIND.get(unit.kind, "") if unit else (Level.CENTRAL if "trung uong" in fold(name) else "")
    base = slugify(fold(f"{name} {term}")) or "co-quan"
    slug, index = base, 2
    while Issuer.objects.filter(slug=slug).exists():
        slug, index = f"{base}-{index}", index + 1
    return Issuer.objects.create(name=name, term=term, unit=unit, level=level, slug=slug)


DEFAULT_TYPES = [
    ("Nghị quyết", "NQ"),
    ("Chỉ thị", "CT"),
    ("Kết luận", "KL"),
    ("Quyết định", "QĐ"),
    ("Quy định", "QĐ"),
    ("Hướng dẫn", "HD"),
    ("Chương trình", "CTr"),
    ("Kế hoạch", "KH"),
    ("Thông báo", "TB"),
    ("Báo cáo", "BC"),
    ("Công văn", "CV"),
    ("Đề án", "ĐA"),
    ("Nghị định", "NĐ"),
    ("Thông tư", "TT"),
    ("Luật", ""),
]


def document_types_ensure() -> None:
    """The types every install starts with (migration 0003 adds them; a database emptied by `flush` lacks them)."""
    for order, (name, code) in enumerate(DEFAULT_TYPES):
        DocumentType.objects.get_or_create(name=name, defaults={"code": code, "order": order * 10})


def _prepare(document: Document) -> None:
    document.title = nfc(document.title).strip()
    document.number, document.number_key, document.number_int, code = number_fields(document.number)
    if document.type_id is None and code:
        document.type = type_for_code(code)
    if not document.title:
        raise DocumentError(_("Write the title (trích yếu) of the document."))
    if not document.number and document.type_id is None:
        raise DocumentError(_("Give the document a number or a type."))
    if document.issued_on and document.issued_on > datetime.date.today() + datetime.timedelta(days=1):
        raise DocumentError(_("The issue date cannot be in the future."))
    if document.issued_on and document.effective_on and document.effective_on < document.issued_on:
        raise DocumentError(_("The effective date cannot be before the issue date."))
    if document.level == "" and document.issuer_id and document.issuer.level:
        document.level = document.issuer.level
    document.search_head = head_text(
        document.number, str(document.type or ""), document.title, str(document.issuer or "")
    )


def document_find(number: str, issued_on, issuer: Issuer | None) -> Document | None:
    """The document with this key (number, issue date, issuer), if there is one."""
    _shown, key, _int, _code = number_fields(number)
    if not key:
        return None
    return Document.objects.filter(number_key=key, issued_on=issued_on, issuer=issuer).first()


@transaction.atomic
def document_save(document: Document, *, user=None, request=None, fields=None, access_units=None) -> Document:
    """Create or update a document after checking it; a new key that already exists is refused."""
    created = document.pk is None
    _prepare(document)
    if document.number_key:
        same = Document.objects.filter(
            number_key=document.number_key, issued_on=document.issued_on, issuer=document.issuer
        ).exclude(pk=document.pk)
        if same.exists():
            raise DocumentError(
                _("Document %(number)s of this date and issuer is already stored.") % {"number": document.number}
            )
    if created and user is not None and getattr(user, "is_authenticated", False):
        document.created_by = user
    document.save()
    if fields is not None:
        document.fields.set(fields)
    if access_units is not None:
        document.access_units.set(access_units)
    audit_record(actor=user, action="document.create" if created else "document.update", obj=document, request=request)
    return document


def document_file_add(document: Document, upload, *, name: str | None = None, user=None) -> DocumentFile:
    """Attach a file; it is checked now and digitised in the background. The same bytes twice are one file."""
    import hashlib

    from tuyengiao.digitise.services import scan_create

    if hasattr(upload, "read"):
        position = upload.tell() if hasattr(upload, "tell") else 0
        digest = hashlib.sha256()
        for chunk in iter(lambda: upload.read(1024 * 1024), b""):
            digest.update(chunk)
        upload.seek(position)
        sha256 = digest.hexdigest()
    else:
        sha256 = hashlib.sha256(upload).hexdigest()
    existing = document.files.filter(scan__sha256=sha256).first()
    if existing:
        return existing
    scan = scan_create(upload, name=name, unit=document.unit, user=user)
    order = document.files.count()
    return DocumentFile.objects.create(document=document, scan=scan, order=order)


def document_file_scan_delete(*, scan_id: int) -> None:
    """Delete the scan of a file that was deleted: its pages, its original, searchable PDF and page images.

    Called once the file's deletion is committed (signals.document_file_deleted); a scan that a file still
    uses is kept.
    """
    from tuyengiao.digitise.models import Scan
    from tuyengiao.digitise.services import scan_delete

    scan = Scan.objects.filter(pk=scan_id).first()
    if scan is not None and not DocumentFile.objects.filter(scan_id=scan_id).exists():
        scan_delete(scan)


def document_text_refresh(document: Document) -> Document:
    """Gather the text of every file (pages split by a form feed) and re-index; suggest metadata."""
    texts, page_map = [], []
    for document_file in document.files.select_related("scan"):
        scan = document_file.scan
        if scan.status != scan.Status.DONE:
            continue
        pages = [page.text for page in scan.pages.order_by("number")]
        texts.append(PAGE_BREAK.join(pages))
        page_map.append([document_file.pk, len(pages)])
    document.full_text = nfc(PAGE_BREAK.join(texts))
    document.folded_text = fold_aligned(document.full_text)
    document.page_map = page_map
    document.save(update_fields=["full_text", "folded_text", "page_map", "updated_at"])
    if texts:
        suggestion_make(document, texts[0].split(PAGE_BREAK)[0])
    return document


def suggestion_make(document: Document, first_page: str) -> Suggestion:
    from tuyengiao.documents.suggest import metadata_suggest

    values, related = metadata_suggest(first_page)
    suggestion, _created = Suggestion.objects.update_or_create(
        document=document, defaults={"values": values, "related_numbers": related}
    )
    return suggestion


@transaction.atomic
def suggestion_apply(document: Document, *, user=None, request=None) -> list[str]:
    """Fill the empty fields from what the first page says and relate the documents its "Căn cứ" lines
    name ("is based on"); returns the labels of what changed. Fields already filled are left alone."""
    suggestion = getattr(document, "suggestion", None)
    if suggestion is None:
        return []
    values, changed = suggestion.values, []
    if values.get("number") and not document.number:
        document.number = values["number"]
        changed.append(_("number"))
    if values.get("type") and document.type_id is None:
        document.type = DocumentType.objects.filter(name=values["type"]).first()
        changed.append(_("type"))
    if values.get("issued_on") and document.issued_on is None:
        document.issued_on = datetime.date.fromisoformat(values["issued_on"])
        changed.append(_("issue date"))
    if values.get("issuer") and document.issuer_id is None:
        document.issuer = issuer_get_or_create(values["issuer"])
        changed.append(_("issuer"))
    if changed:
        document_save(document, user=user, request=request)
    for number in suggestion.related_numbers:
        _shown, key, _int, _code = number_fields(number)
        targets = list(Document.objects.filter(number_key=key).exclude(pk=document.pk)[:2])
        if len(targets) == 1 and not Relation.objects.filter(source=document, target=targets[0]).exists():
            relation_add(document, RelationKind.BASED_ON, targets[0], user=user, request=request)
            changed.append(_("is based on %(number)s") % {"number": number})
    return changed


@transaction.atomic
def relation_add(source: Document, kind: str, target: Document, *, user=None, request=None) -> Relation:
    """Record "source <kind> target"; replacing or repealing puts the target out of force."""
    if source.pk == target.pk:
        raise DocumentError(_("A document cannot be related to itself."))
    if kind not in RelationKind.values:
        raise DocumentError(_("Choose a kind of relation."))
    relation, _created = Relation.objects.get_or_create(source=source, kind=kind, target=target)
    new_status = STATUS_AFTER.get(kind)
    if new_status and target.status != Status.EXPIRED and target.status != new_status:
        target.status = new_status
        target.save(update_fields=["status", "updated_at"])
    audit_record(actor=user, action="document.relate", obj=source, request=request, changes={kind: [None, target.pk]})
    return relation


def relation_remove(relation: Relation, *, user=None, request=None) -> None:
    audit_record(
        actor=user,
        action="document.unrelate",
        obj=relation.source,
        request=request,
        changes={relation.kind: [relation.target_id, None]},
    )
    relation.delete()


def documents_changed(*, lists: bool = False) -> None:
    """Move the store's version, in the transaction of the change (apps._changed, on every change of a document,
    its access, a type or an issuer); with `lists` (a type or an issuer), the version of the lists too. Old rows are
    dropped now and then, which moves the version too, but for the newest change of the lists: were they all
    dropped, the lists' version would be that of before any change of them, which a process may still hold."""
    change = StoreChange.objects.create(lists=lists)
    if change.pk % STORE_CHANGES_KEPT == 0:
        newest_of_lists = StoreChange.objects.filter(lists=True).order_by("-pk").values("pk")[:1]
        StoreChange.objects.filter(pk__lt=change.pk - STORE_CHANGES_KEPT).exclude(pk__in=newest_of_lists).delete()
        facet_tallies_fold()


_TALLY_GROUP = "access, type_id, level, status, issuer_id, year"
_TALLY_TABLE = FacetTally._meta.db_table
# The year of issue as the triggers of migration 0013 tally it, and as selectors._narrow_query reads it.
_TALLY_YEAR = {
    "postgresql": "CAST(EXTRACT(year FROM issued_on) AS integer)",
    "sqlite": "CAST(substr(issued_on, 1, 4) AS integer)",
}


def facet_tallies_fold() -> None:
    """Fold the rows of each group of FacetTally that holds more than one (the triggers add rows of +n and -n) into
    one, or none where they sum to nought; the sums stay as they were, and the row of a group that no change touched
    stays as it is (rewriting every group wrote the 11,476 rows of 100,000 documents each time, and left as many dead
    rows on PostgreSQL). Run with the dropping of old StoreChange rows, every STORE_CHANGES_KEPT changes, and after a
    bulk load.

    PostgreSQL folds in one statement, over one snapshot: the rows of a change not yet committed are not seen, and
    stay; two folds at once each fold only what the other has not deleted. SQLite: its write lock is held from the
    start of the transaction (transaction_mode IMMEDIATE), and no other writer adds rows meanwhile."""
    folded = f"SELECT {_TALLY_GROUP}, sum(n) FROM {{rows}} GROUP BY {_TALLY_GROUP} HAVING sum(n) <> 0"  # noqa: S608
    # The rows of groups that hold more than one (the window counts NULLs alike, as GROUP BY does).
    crowded = (
        f"SELECT id FROM (SELECT id, count(*) OVER (PARTITION BY {_TALLY_GROUP}) AS k FROM {_TALLY_TABLE}{{where}}) "  # noqa: S608
        "AS g WHERE k > 1"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            gone = (
                f"WITH gone AS (DELETE FROM {_TALLY_TABLE} WHERE id IN ({crowded.format(where='')}) "  # noqa: S608
                f"RETURNING {_TALLY_GROUP}, n) "
            )
            cursor.execute(f"{gone} INSERT INTO {_TALLY_TABLE} ({_TALLY_GROUP}, n) {folded.format(rows='gone')}")
            return
        cursor.execute(f"SELECT max(id) FROM {_TALLY_TABLE}")  # noqa: S608
        (last,) = cursor.fetchone()
        if last is not None:
            rows = f"{_TALLY_TABLE} WHERE id IN ({crowded.format(where=' WHERE id <= %s')})"
            cursor.execute(f"INSERT INTO {_TALLY_TABLE} ({_TALLY_GROUP}, n) {folded.format(rows=rows)}", [last])
            cursor.execute(f"DELETE FROM {rows}", [last])  # noqa: S608


def facet_tallies_rebuild() -> None:
    """Write FacetTally anew from the documents; in one statement on PostgreSQL, over one snapshot as the fold. Run
    after every migrate and flush (apps.py, post_migrate): a flush on SQLite deletes the documents after the tallies
    or before them, and their triggers may leave tallies of documents that are gone."""
    year = _TALLY_YEAR[connection.vendor]
    counted = (
        f"INSERT INTO {_TALLY_TABLE} ({_TALLY_GROUP}, n) SELECT access, type_id, level, status, issuer_id, {year}, "  # noqa: S608
        f"count(*) FROM {Document._meta.db_table} GROUP BY access, type_id, level, status, issuer_id, {year}"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"WITH gone AS (DELETE FROM {_TALLY_TABLE}) {counted}")  # noqa: S608
            return
        cursor.execute(f"DELETE FROM {_TALLY_TABLE}")  # noqa: S608
        cursor.execute(counted)
