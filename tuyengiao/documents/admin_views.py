"""The documents section of the back office: documents of the user's units, their files and relations,
the editable lists (types, fields, issuers), and the bulk import with preview and progress."""

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, MenuItem

from tuyengiao.accounts.permissions import scope
from tuyengiao.core.admin_views import DomainErrorFormMixin, ObjectPermissionMixin
from tuyengiao.core.errors import DomainError
from tuyengiao.core.services import audit_record
from tuyengiao.documents.admin_forms import DocumentForm, ImportForm, RelationForm
from tuyengiao.documents.imports import rows_read, template_xlsx
from tuyengiao.documents.models import NEWEST_FIRST, Document, DocumentType, Field, ImportRun, Issuer, Relation
from tuyengiao.documents.services import (
    document_file_add,
    document_save,
    issuer_get_or_create,
    number_fields,
    relation_add,
    relation_remove,
    suggestion_apply,
)


class DocumentIndexView(generic.IndexView):
    def get_base_queryset(self):
        documents = super().get_base_queryset().select_related("type", "issuer", "unit")
        return scope(documents, self.request.user, "documents.change_document")

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("documents.add_document"):
            buttons.append(HeaderButton(_("Import"), url=reverse("documents_admin:import"), icon_name="upload"))
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        buttons.append(
            MenuItem(_("View on the site"), url=instance.get_absolute_url(), icon_name="link-external", priority=5)
        )
        return buttons


class _DocumentFormMixin(DomainErrorFormMixin):
    def save_instance(self):
        form = self.form
        document = form.save(commit=False)
        if "issuer_name" in form.changed_data or not document.pk:
            document.issuer = issuer_get_or_create(form.cleaned_data.get("issuer_name", ""))
        with transaction.atomic():
            document_save(
                document,
                user=self.request.user,
                request=self.request,
                fields=form.cleaned_data.get("fields"),
                access_units=form.cleaned_data.get("access_units"),
            )
            for upload in form.cleaned_data.get("new_files") or []:
                document_file_add(document, upload, name=upload.name, user=self.request.user)
        return document

    def form_valid(self, form):
        unit = form.cleaned_data.get("unit")
        if unit is not None and not self.request.user.has_perm("documents.add_document", unit):
            raise PermissionDenied
        return super().form_valid(form)


class DocumentCreateView(_DocumentFormMixin, generic.CreateView):
    pass


class DocumentEditView(_DocumentFormMixin, ObjectPermissionMixin, generic.EditView):
    template_name = "documents/admin/edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document = self.object
        context["files"] = list(document.files.select_related("scan"))
        context["relations_out"] = list(document.relations_out.select_related("target"))
        context["relations_in"] = list(document.relations_in.select_related("source"))
        context["relation_form"] = RelationForm()
        suggestion = getattr(document, "suggestion", None)
        context["suggestion"] = suggestion
        if suggestion and suggestion.values.get("issued_on"):
            context["suggested_date"] = datetime.date.fromisoformat(suggestion.values["issued_on"])
        return context


class DocumentDeleteView(ObjectPermissionMixin, generic.DeleteView):
    object_action = "delete"

    def delete_action(self):
        audit_record(actor=self.request.user, action="document.delete", obj=self.object, request=self.request)
        super().delete_action()


def relation_add_view(request, pk):
    document = get_object_or_404(Document, pk=pk)
    if not request.user.has_perm("documents.change_document", document) or request.method != "POST":
        raise PermissionDenied
    form = RelationForm(request.POST)
    if form.is_valid():
        _shown, key, _number, _code = number_fields(form.cleaned_data["target_number"])
        targets = Document.objects.filter(number_key=key).exclude(pk=document.pk)
        if form.cleaned_data.get("target_issued_on"):
            targets = targets.filter(issued_on=form.cleaned_data["target_issued_on"])
        found = list(targets[:2])
        if len(found) == 1:
            try:
                relation_add(document, form.cleaned_data["kind"], found[0], user=request.user, request=request)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The relation was recorded."))
        elif not found:
            messages.error(
                request,
                _("No stored document has the number %(number)s.") % {"number": form.cleaned_data["target_number"]},
            )
        else:
            messages.error(request, _("Several documents have this number: give the issue date too."))
    else:
        messages.error(request, _("Choose the relation and write the other document's number."))
    return redirect(reverse("documents_admin:edit", args=[document.pk]) + "#quan-he")


def suggestion_apply_view(request, pk):
    document = get_object_or_404(Document, pk=pk)
    if not request.user.has_perm("documents.change_document", document) or request.method != "POST":
        raise PermissionDenied
    try:
        changed = suggestion_apply(document, user=request.user, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if changed:
            messages.success(request, _("Filled in from the first page: %(fields)s.") % {"fields": ", ".join(changed)})
        else:
            messages.info(request, _("Nothing to fill in: the fields already have values."))
    return redirect("documents_admin:edit", document.pk)


def relation_remove_view(request, pk, relation_pk):
    relation = get_object_or_404(Relation, pk=relation_pk, source_id=pk)
    if not request.user.has_perm("documents.change_document", relation.source) or request.method != "POST":
        raise PermissionDenied
    relation_remove(relation, user=request.user, request=request)
    messages.success(request, _("The relation was removed."))
    return redirect(reverse("documents_admin:edit", args=[pk]) + "#quan-he")


def _staging_folder() -> Path:
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "imports" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def import_view(request):
    """Step 1: upload the metadata and the files; see every row's problems before anything is stored."""
    if not request.user.has_perm("documents.add_document"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, for_user=request.user)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        if not request.user.has_perm("documents.add_document", unit):
            raise PermissionDenied
        folder = _staging_folder()
        metadata = form.cleaned_data["metadata"]
        suffix = ".xlsx" if metadata.read(4) == b"PK\x03\x04" else ".csv"
        metadata.seek(0)
        (folder / f"metadata{suffix}").write_bytes(metadata.read())
        for upload in form.cleaned_data.get("files") or []:
            with (folder / Path(upload.name).name).open("wb") as target:
                for chunk in upload.chunks():
                    target.write(chunk)
        run = ImportRun.objects.create(folder=str(folder), unit=unit, created_by=request.user)
        return redirect("documents_admin:import_preview", run.pk)
    return TemplateResponse(
        request,
        "documents/admin/import.html",
        {"form": form, "page_title": _("Import documents"), "header_icon": "upload"},
    )


def _run_for(request, pk) -> ImportRun:
    run = get_object_or_404(ImportRun, pk=pk)
    if run.created_by_id != request.user.pk and not request.user.has_perm("documents.add_document", run.unit):
        raise PermissionDenied
    return run


def import_preview_view(request, pk):
    """Step 2: every row with what will happen to it or what is wrong; start applies the good rows."""
    from tuyengiao.core.tabular import metadata_find
    from tuyengiao.documents.tasks import import_run_task

    run = _run_for(request, pk)
    folder = Path(run.folder)
    rows, problem = [], ""
    try:
        rows = rows_read(metadata_find(folder).read_bytes(), folder)
    except DomainError as error:
        problem = "; ".join(error.details) if error.details else error.message
    if request.method == "POST" and rows and run.status == ImportRun.Status.WAITING:
        run.rows_total = sum(row.ok for row in rows)
        run.save(update_fields=["rows_total"])
        transaction.on_commit(lambda: import_run_task.enqueue(run.pk))
        audit_record(actor=request.user, action="document.import", request=request, changes={"rows": run.rows_total})
        return redirect("documents_admin:import_progress", run.pk)
    return TemplateResponse(
        request,
        "documents/admin/import_preview.html",
        {
            "run": run,
            "rows": rows,
            "problem": problem,
            "good": sum(row.ok for row in rows),
            "page_title": _("Import documents: check the rows"),
            "header_icon": "upload",
        },
    )


def import_progress_view(request, pk):
    run = _run_for(request, pk)
    return TemplateResponse(
        request,
        "documents/admin/import_progress.html",
        {"run": run, "page_title": _("Import documents: progress"), "header_icon": "upload"},
    )


def import_status_view(request, pk):
    run = _run_for(request, pk)
    return JsonResponse(
        {
            "status": run.status,
            "rows_done": run.rows_done,
            "rows_total": run.rows_total,
            "percent": run.percent,
            "created": run.created,
            "updated": run.updated,
            "errors": run.errors,
        }
    )


def import_template_view(request):
    if not request.user.has_perm("documents.add_document"):
        raise PermissionDenied
    response = HttpResponse(
        template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-van-ban.xlsx"'
    return response


class DocumentViewSet(ModelViewSet):
    model = Document
    form_fields = DocumentForm.Meta.fields
    icon = "doc-full"
    menu_label = pgettext_lazy("legal documents", "Documents")
    list_display = ["title", "number", "type", "issued_on", "status", "unit"]
    list_filter = ["type", "level", "status", "access"]
    search_fields = ["number", "title"]
    ordering = list(NEWEST_FIRST)  # undated last, through the newest-first index
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = DocumentIndexView
    add_view_class = DocumentCreateView
    edit_view_class = DocumentEditView
    delete_view_class = DocumentDeleteView

    def get_form_class(self, for_update=False):
        return DocumentForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/relations/add/", relation_add_view, name="relation_add"),
            path("<int:pk>/suggestion/apply/", suggestion_apply_view, name="suggestion_apply"),
            path("<int:pk>/relations/<int:relation_pk>/remove/", relation_remove_view, name="relation_remove"),
            path("import/", import_view, name="import"),
            path("import/template.xlsx", import_template_view, name="import_template"),
            path("import/<int:pk>/", import_preview_view, name="import_preview"),
            path("import/<int:pk>/progress/", import_progress_view, name="import_progress"),
            path("import/<int:pk>/status/", import_status_view, name="import_status"),
        ]


class DocumentTypeViewSet(ModelViewSet):
    model = DocumentType
    form_fields = ["name", "code", "order"]
    icon = "list-ul"
    menu_label = gettext_lazy("Document types")
    list_display = ["name", "code", "order"]
    copy_view_enabled = False


class FieldViewSet(ModelViewSet):
    model = Field
    form_fields = ["name"]
    icon = "tag"
    menu_label = gettext_lazy("Fields")
    copy_view_enabled = False


class IssuerViewSet(ModelViewSet):
    model = Issuer
    form_fields = ["name", "term", "unit", "level", "slug"]
    icon = "group"
    menu_label = gettext_lazy("Issuers")
    list_display = ["name", "term", "level", "unit"]
    search_fields = ["name"]
    copy_view_enabled = False


class DocumentsGroup(ViewSetGroup):
    menu_label = gettext_lazy("Document store")
    menu_icon = "doc-full"
    menu_order = 240
    items = (
        DocumentViewSet("documents_admin", url_prefix="documents-store"),
        DocumentTypeViewSet("documents_types", url_prefix="documents-store/types"),
        FieldViewSet("documents_fields", url_prefix="documents-store/fields"),
        IssuerViewSet("documents_issuers", url_prefix="documents-store/issuers"),
    )
