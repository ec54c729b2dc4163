import datetime

import pytest

from tuyengiao.documents.models import Access, Document, DocumentType, Level
from tuyengiao.documents.services import document_save, issuer_get_or_create

SEED = [
    (
        "19-CT/TW",
        "Chỉ thị",
        "Về tăng cường sự lãnh đạo của Đảng đối với công tác dạy nghề cho lao động nông thôn",
        "Ban Chấp hành Trung ương Đảng khóa XI",
        datetime.date(2012, 11, 5),
    ),
    (
        "17-CT/TW",
        "Chỉ thị",
        "Về tiếp tục đổi mới, nâng cao chất lượng, hiệu quả công tác tuyên truyền miệng trong tình hình mới",
        "Ban Bí thư Trung ương Đảng khóa X",
        datetime.date(2007, 10, 15),
    ),
    (
        "27-NQ/TW",
        "Nghị quyết",
        "Về xây dựng đội ngũ trí thức trong thời kỳ đẩy mạnh công nghiệp hóa, hiện đại hóa đất nước",
        "Hội nghị lần thứ bảy Ban Chấp hành Trung ương Đảng khóa X",
        datetime.date(2008, 8, 6),
    ),
    (
        "07-CT/TW",
        "Chỉ thị",
        "Về đẩy mạnh công tác thông tin cơ sở trong tình hình mới",
        "Ban Bí thư Trung ương Đảng khóa XII",
        datetime.date(2016, 9, 5),
    ),
    (
        "238-QĐ/TW",
        "Quyết định",
        "Quy định phối hợp của ban tuyên giáo các cấp với cơ quan chuyên môn và cơ quan tư pháp cùng cấp",
        "Ban Bí thư Trung ương Đảng",
        datetime.date(2020, 9, 30),
    ),
]


def make_document(
    number="",
    title="",
    *,
    type_name=None,
    issuer="",
    issued_on=None,
    text="",
    unit=None,
    access=Access.PUBLIC,
    access_units=None,
    level=Level.CENTRAL,
):
    from tuyengiao.core.text import fold_aligned

    document = Document(
        number=number,
        title=title,
        type=DocumentType.objects.get(name=type_name) if type_name else None,
        issuer=issuer_get_or_create(issuer),
        issued_on=issued_on,
        level=level,
        access=access,
        unit=unit,
        full_text=text,
        folded_text=fold_aligned(text),
    )
    return document_save(document, access_units=access_units)


def make_documents_in_bulk(count, number: str, title: str, text: str, first_day: datetime.date, *, start=1, step=0):
    """`count` public documents with the same title and text, numbered `number` % start, start + 1, …, issued
    `step` days apart from `first_day`, in one bulk insert (no signal; the database's triggers index them)."""
    from tuyengiao.core.text import fold_aligned
    from tuyengiao.documents.search import head_text

    Document.objects.bulk_create(
        Document(
            number=number % (index + start),
            title=title,
            full_text=text,
            folded_text=fold_aligned(text),
            search_head=head_text(number % (index + start), title),
            issued_on=first_day + datetime.timedelta(days=index * step),
        )
        for index in range(count)
    )


@pytest.fixture
def seed_documents(db):
    return {
        number: make_document(number, title, type_name=kind, issuer=issuer, issued_on=day)
        for number, kind, title, issuer, day in SEED
    }
