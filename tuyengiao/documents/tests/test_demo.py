"""The demo documents that `make run` loads: the seed's documents with their files, once."""

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from tuyengiao.digitise.models import Scan
from tuyengiao.documents.models import Document, DocumentFile, Relation
from tuyengiao.documents.selectors import document_search


def test_seed_demo_loads_the_documents_once_with_files_relations_and_a_scan(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    scans = Scan.objects.filter(pk__in=DocumentFile.objects.values("scan"))  # the library's books have scans too
    assert Document.objects.count() == 10 and scans.count() == 10
    assert set(scans.values_list("status", flat=True)) == {"waiting"}  # the task worker reads them
    assert Relation.objects.filter(source__number="45-KH/TU", kind="implements", target__number="07-CT/TW").exists()
    assert Document.objects.get(number="07-CT/TW").issuer.term == "XII"
    found = {hit.document.number for hit in document_search(AnonymousUser(), "ke hoach").hits}
    assert "45-KH/TU" in found and "18-KH/HU" not in found  # 18-KH/HU is for signed-in cadres
