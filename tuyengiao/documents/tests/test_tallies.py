"""The tallies of documents per group of facet values (FacetTally): kept by the database on every write, and what a
search page without words counts from."""

import datetime
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.test.utils import CaptureQueriesContext

from tuyengiao.accounts.tests.factories import UserFactory
from tuyengiao.documents.models import Access, Document, DocumentType, FacetTally, Level, Status
from tuyengiao.documents.selectors import document_search
from tuyengiao.documents.services import (
    document_types_ensure,
    facet_tallies_fold,
    facet_tallies_rebuild,
    issuer_get_or_create,
)
from tuyengiao.documents.tests.conftest import make_document

GROUP = ("access", "type_id", "level", "status", "issuer_id", "year")


def documents_grouped() -> dict:
    """What the tallies must sum to: the documents counted by group, read from the documents themselves."""
    rows = Document.objects.annotate(year=ExtractYear("issued_on")).values(*GROUP).annotate(n=Count("id"))
    return {tuple(row[name] for name in GROUP): row["n"] for row in rows.order_by()}


def tallies_summed() -> dict:
    """The tallies' rows summed by group; a group that sums to nought holds no document."""
    sums = {}
    for *group, n in FacetTally.objects.values_list(*GROUP, "n"):
        sums[tuple(group)] = sums.get(tuple(group), 0) + n
    return {group: n for group, n in sums.items() if n}


def test_the_tallies_follow_every_kind_of_write_and_a_fold_keeps_their_sums(db):
    kinds = {kind.code: kind for kind in DocumentType.objects.all()}
    first = make_document(
        "01-NQ/TU", "Nghị quyết về chuyển đổi số", type_name="Nghị quyết", issued_on=datetime.date(2021, 3, 1)
    )
    second = make_document(
        "02-CT/TU", "Chỉ thị về tuyên truyền", type_name="Chỉ thị", issued_on=datetime.date(2021, 5, 2)
    )
    make_document("", "Công văn không ngày", type_name="Công văn", access=Access.CADRES)
    assert tallies_summed() == documents_grouped()

    # A save that moves a document to another group, in each tallied column.
    second.status = Status.EXPIRED
    second.save()
    second.issued_on = datetime.date(2019, 1, 1)
    second.level = Level.PROVINCE
    second.issuer = issuer_get_or_create("Tỉnh ủy Hà Giang")
    second.save()
    first.access = Access.CADRES
    first.type = kinds["KH"]
    first.save(update_fields=["access", "type"])
    first.issued_on = datetime.date(2018, 12, 31)  # the year alone
    first.save(update_fields=["issued_on"])
    assert tallies_summed() == documents_grouped()

    # Writes that send no signal: a bulk update, a bulk insert, a bulk delete.
    Document.objects.filter(pk=first.pk).update(access=Access.PUBLIC, issued_on=None)
    Document.objects.bulk_create(
        [
            Document(title=f"Kế hoạch {n}", type=kinds["KH"], issued_on=datetime.date(2020 + n % 3, 1, 1))
            for n in range(7)
        ]
    )
    assert tallies_summed() == documents_grouped()
    Document.objects.filter(title__startswith="Kế hoạch").exclude(issued_on__year=2021).delete()
    second.delete()
    assert tallies_summed() == documents_grouped()

    # A save that moves no document adds no row; a fold leaves one row per group, with the same sums.
    rows = FacetTally.objects.count()
    first.refresh_from_db()
    first.title = "Nghị quyết về chuyển đổi số (sửa)"
    first.save()
    assert FacetTally.objects.count() == rows
    expected = documents_grouped()
    facet_tallies_fold()
    assert FacetTally.objects.count() == len(expected) < rows
    assert tallies_summed() == expected
    assert not FacetTally.objects.filter(n=0).exists()

    # The next fold rewrites only the groups that changed since; the others keep their row.
    kept = {row[0]: tuple(row[1:]) for row in FacetTally.objects.values_list("id", *GROUP)}  # one row per group
    make_document("03-KH/TU", "Kế hoạch", type_name="Kế hoạch", issued_on=datetime.date(2021, 1, 1))
    groups = [tuple(row) for row in FacetTally.objects.values_list(*GROUP)]
    changed = {group for group in groups if groups.count(group) > 1 or group not in kept.values()}
    untouched = {pk for pk, group in kept.items() if group not in changed}
    facet_tallies_fold()
    assert tallies_summed() == documents_grouped()
    assert untouched and untouched <= set(FacetTally.objects.values_list("id", flat=True))


def test_after_migrate_the_tallies_are_written_anew_from_the_documents(db):
    make_document("03-KL/TU", "Kết luận về công tác cán bộ", type_name="Kết luận", issued_on=datetime.date(2023, 2, 2))
    make_document("04-KL/TU", "Kết luận về công tác dân vận", type_name="Kết luận", issued_on=datetime.date(2023, 3, 3))
    expected = documents_grouped()
    FacetTally.objects.all().delete()  # as a flush can leave them on SQLite, or an old backup
    FacetTally.objects.create(access=Access.PUBLIC, level="", status="in_force", n=-5)
    call_command("migrate", verbosity=0)  # nothing to migrate: post_migrate runs all the same
    assert tallies_summed() == expected


def test_a_page_without_words_counts_from_the_tallies_what_each_reader_may_read(province, commune_staff):
    make_document("05-NQ/TU", "Nghị quyết công khai", type_name="Nghị quyết", issued_on=datetime.date(2022, 1, 4))
    make_document("06-NQ/TU", "Nghị quyết công khai", type_name="Nghị quyết", issued_on=datetime.date(2015, 1, 4))
    make_document(
        "07-CT/TU", "Chỉ thị công khai", type_name="Chỉ thị", issued_on=datetime.date(2022, 6, 4), level="province"
    )
    make_document(
        "08-CV/TU",
        "Công văn cho cán bộ",
        type_name="Công văn",
        issued_on=datetime.date(2022, 1, 5),
        access=Access.CADRES,
    )
    make_document(
        "09-CV/TU",
        "Công văn gửi Bắc Mê",
        type_name="Công văn",
        issued_on=datetime.date(2022, 1, 6),
        access=Access.UNITS,
        access_units=[province["HG-BM"]],
    )
    superuser = UserFactory(username="root", is_superuser=True)
    anonymous = AnonymousUser()

    def types(user, **filters):
        with CaptureQueriesContext(connection) as queries:
            result = document_search(user, "", filters=filters)
        from_tallies = any("documents_facettally" in query["sql"] for query in queries.captured_queries)
        return {label: count for _v, label, count in result.facets["type"]}, result.count, from_tallies

    assert types(anonymous) == ({"Nghị quyết": 2, "Chỉ thị": 1}, 3, True)
    assert types(anonymous, year_from=2020) == ({"Nghị quyết": 1, "Chỉ thị": 1}, 2, True)
    assert types(anonymous, year_to=2016, type=DocumentType.objects.get(name="Nghị quyết").pk) == (
        {"Nghị quyết": 1},
        1,
        True,
    )
    assert types(anonymous, level="province") == ({"Chỉ thị": 1}, 1, True)
    assert types(superuser) == ({"Nghị quyết": 2, "Chỉ thị": 1, "Công văn": 2}, 5, True)
    # A cadre of a commune under Bắc Mê reads both Công văn: counted from the documents, not by access.
    assert types(commune_staff) == ({"Nghị quyết": 2, "Chỉ thị": 1, "Công văn": 2}, 5, False)


@pytest.mark.django_db(transaction=True)
def test_a_fold_beside_a_change_not_yet_committed_loses_nothing_of_it():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: a fold waits for the change")
    document_types_ensure()  # an earlier test's flush may have emptied the list
    make_document("10-QĐ/TU", "Quyết định về khen thưởng", type_name="Quyết định", issued_on=datetime.date(2024, 4, 4))
    written, fold_done = threading.Event(), threading.Event()

    def change():
        from django.db import connection as own

        try:
            with transaction.atomic():
                make_document(
                    "11-QĐ/TU", "Quyết định về kỷ luật", type_name="Quyết định", issued_on=datetime.date(2024, 5, 5)
                )
                written.set()
                fold_done.wait(10)
        finally:
            own.close()

    thread = threading.Thread(target=change)
    thread.start()
    assert written.wait(10)
    facet_tallies_fold()  # the other transaction's rows are not seen: they stay as they are
    fold_done.set()
    thread.join(10)
    assert Document.objects.count() == 2
    assert tallies_summed() == documents_grouped()
    facet_tallies_rebuild()
    assert tallies_summed() == documents_grouped()
