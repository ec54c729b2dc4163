import datetime

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema

from tuyengiao.api.main import NO_NUL, ErrorOut, QueryParams
from tuyengiao.documents.models import Level, Status
from tuyengiao.documents.selectors import document_for, document_relations, document_search

router = Router(tags=["documents"])


class DocumentSummary(Schema):
    id: int
    number: str
    type: str | None
    title: str
    issuer: str | None
    issued_on: datetime.date | None
    level: str
    status: str
    url: str


class DocumentHit(DocumentSummary):
    highlight: str = Field(description="An excerpt around the first match, matches in <mark>…</mark>.")
    page: int | None = Field(description="The page of the file where the first match stands.")


class FacetValue(Schema):
    value: str
    label: str
    count: int


class DocumentResults(Schema):
    count: int
    approximate: bool = Field(
        description="True when the query matches so many documents that count and facets are estimates."
    )
    results: list[DocumentHit]
    facets: dict[str, list[FacetValue]]


class FileOut(Schema):
    id: int
    name: str
    size: int
    url: str
    pdf_url: str | None
    status: str


class RelationOut(Schema):
    relation: str
    documents: list[DocumentSummary]


class DocumentOut(DocumentSummary):
    signer: str
    signer_title: str
    effective_on: datetime.date | None
    fields: list[str]
    relations: list[RelationOut]
    files: list[FileOut]
    full_text: str


class DocumentFilter(QueryParams):
    q: str | None = Field(None, max_length=200, pattern=NO_NUL, description="Words, “phrases” or a number in any form.")
    type: int | None = Field(None, ge=1, le=2_147_483_647, description="A document type's id.")
    level: Level | None = None
    issuer: int | None = Field(None, ge=1, le=2_147_483_647, description="An issuer's id.")
    year_from: int | None = Field(None, ge=1900, le=2100, description="Issued in this year or later.")
    year_to: int | None = Field(
        None,
        ge=1900,
        le=2100,
        description="Issued in this year or earlier. Before year_from, the range holds no document: count 0.",
    )
    status: Status | None = None
    sort: str = Field("relevance", pattern="^(relevance|date)$")
    page: int = Field(1, ge=1, le=10_000)


def _summary(request, document) -> dict:
    return {
        "id": document.pk,
        "number": document.number,
        "type": str(document.type) if document.type_id else None,
        "title": document.title,
        "issuer": str(document.issuer) if document.issuer_id else None,
        "issued_on": document.issued_on,
        "level": document.level,
        "status": document.status,
        "url": request.build_absolute_uri(document.get_absolute_url()),
    }


def _marked(pieces) -> str:
    from django.utils.html import escape

    return "".join(f"<mark>{escape(piece)}</mark>" if is_match else escape(piece) for piece, is_match in pieces)


@router.get("/documents", response={200: DocumentResults, 422: ErrorOut}, summary="Search documents")
def documents(request, filters: Query[DocumentFilter]):
    result = document_search(
        request.user,
        filters.q or "",
        filters={
            "type": filters.type,
            "level": filters.level,
            "issuer": filters.issuer,
            "year_from": filters.year_from,
            "year_to": filters.year_to,
            "status": filters.status,
        },
        sort=filters.sort,
        page=filters.page,
    )
    if filters.page > result.pages:
        hits = []
    else:
        hits = [
            {**_summary(request, hit.document), "highlight": _marked(hit.excerpt), "page": hit.page}
            for hit in result.hits
        ]
    facets = {
        name: [{"value": str(value), "label": str(label), "count": count} for value, label, count in items]
        for name, items in result.facets.items()
    }
    return {"count": result.count, "approximate": result.approximate, "results": hits, "facets": facets}


@router.get(
    "/documents/{document_id}",
    response={200: DocumentOut, 404: ErrorOut, 422: ErrorOut},
    summary="One document with its relations and files",
)
def document(request, document_id: int = Path(..., ge=1, le=2_147_483_647)):
    found = document_for(request.user, document_id)
    if found is None:
        raise Http404
    files = []
    for document_file in found.files.all():
        scan = document_file.scan
        has_pdf = bool(scan.searchable_pdf) or scan.kind == "pdf"
        files.append(
            {
                "id": document_file.pk,
                "name": scan.name,
                "size": scan.size,
                "url": request.build_absolute_uri(f"{found.get_absolute_url()}tep/{document_file.pk}/"),
                "pdf_url": request.build_absolute_uri(f"{found.get_absolute_url()}tep/{document_file.pk}/pdf/")
                if has_pdf
                else None,
                "status": scan.status,
            }
        )
    return {
        **_summary(request, found),
        "signer": found.signer,
        "signer_title": found.signer_title,
        "effective_on": found.effective_on,
        "fields": [str(item) for item in found.fields.all()],
        "relations": [
            {"relation": str(label), "documents": [_summary(request, other) for other in others]}
            for label, others in document_relations(request.user, found)
        ],
        "files": files,
        "full_text": found.full_text,
    }
