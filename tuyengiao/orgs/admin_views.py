"""The units section of the staff back office (Wagtail admin)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, MenuItem

from tuyengiao.accounts.permissions import scope
from tuyengiao.core.admin_views import DomainErrorFormMixin, ObjectPermissionMixin
from tuyengiao.core.errors import DomainError
from tuyengiao.core.services import audit_record
from tuyengiao.orgs.forms import UnitForm, UnitImportForm, UnitMergeForm
from tuyengiao.orgs.imports import units_export_csv, units_export_xlsx, units_import
from tuyengiao.orgs.models import Unit
from tuyengiao.orgs.services import unit_create, unit_merge, unit_update

FORM_FIELDS = ["code", "name", "kind", "parent", "gso_code", "valid_from", "valid_to", "note"]


class UnitIndexView(generic.IndexView):
    def get_base_queryset(self):
        return scope(super().get_base_queryset(), self.request.user, "orgs.view_unit").select_related("parent")

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("orgs.add_unit"):
            buttons.append(HeaderButton(_("Import"), url=reverse("orgs_units:import"), icon_name="upload"))
        buttons.append(
            HeaderButton(_("Export CSV"), url=reverse("orgs_units:export") + "?format=csv", icon_name="download")
        )
        buttons.append(
            HeaderButton(_("Export XLSX"), url=reverse("orgs_units:export") + "?format=xlsx", icon_name="download")
        )
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if self.request.user.has_perm("orgs.change_unit", instance) and not instance.successor_id:
            buttons.append(
                MenuItem(
                    _("Merge into another unit"),
                    url=reverse("orgs_units:merge", args=[instance.pk]),
                    icon_name="arrow-right",
                    priority=30,
                )
            )
        return buttons


class UnitCreateView(DomainErrorFormMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return unit_create(actor=self.request.user, request=self.request, **{name: data[name] for name in FORM_FIELDS})

    def form_valid(self, form):
        parent = form.cleaned_data.get("parent")
        if parent is not None and not self.request.user.has_perm("orgs.add_unit", parent):
            raise PermissionDenied
        return super().form_valid(form)


class UnitEditView(DomainErrorFormMixin, ObjectPermissionMixin, generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        changed = {name: data[name] for name in self.form.changed_data if name in FORM_FIELDS}
        unit = Unit.objects.get(pk=self.object.pk)
        return unit_update(unit=unit, actor=self.request.user, request=self.request, **changed)


def unit_merge_view(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    if not request.user.has_perm("orgs.change_unit", unit):
        raise PermissionDenied
    form = UnitMergeForm(request.POST or None, unit=unit, for_user=request.user, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            unit_merge(
                unit=unit,
                into=form.cleaned_data["into"],
                on=form.cleaned_data["on"],
                actor=request.user,
                request=request,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("“%(unit)s” was merged into “%(into)s”.") % {"unit": unit, "into": form.cleaned_data["into"]}
            )
            return redirect("orgs_units:index")
    return TemplateResponse(
        request,
        "orgs/admin/merge.html",
        {"form": form, "unit": unit, "page_title": _("Merge “%(unit)s”") % {"unit": unit}, "header_icon": "site"},
    )


def unit_import_view(request):
    if not request.user.has_perm("orgs.add_unit"):
        raise PermissionDenied
    form = UnitImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = units_import(
                data=form.cleaned_data["file"],
                file_name=request.FILES["file"].name,
                actor=request.user,
                request=request,
            )
        except DomainError as error:
            errors = error.details or [error.message]
        else:
            messages.success(
                request,
                _("Import done: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            )
            return redirect("orgs_units:index")
    return TemplateResponse(
        request,
        "orgs/admin/import.html",
        {"form": form, "errors": errors, "page_title": _("Import units"), "header_icon": "upload"},
    )


def unit_export_view(request):
    if not request.user.has_perm("orgs.view_unit"):
        raise PermissionDenied
    units = scope(Unit.objects.select_related("parent", "successor").tree_order(), request.user, "orgs.view_unit")
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    if file_format == "xlsx":
        content = units_export_xlsx(units)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = units_export_csv(units)
        content_type = "text/csv; charset=utf-8"
    audit_record(actor=request.user, action="unit.export", request=request, changes={"format": file_format})
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="don-vi-{timezone.localdate():%Y%m%d}.{file_format}"'
    return response


class UnitInspectView(ObjectPermissionMixin, generic.InspectView):
    object_action = "view"


class UnitViewSet(ModelViewSet):
    model = Unit
    form_fields = FORM_FIELDS
    icon = "site"
    menu_label = gettext_lazy("Units")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "code", "kind", "parent", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    ordering = ["path"]
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = UnitIndexView
    add_view_class = UnitCreateView
    edit_view_class = UnitEditView
    inspect_view_class = UnitInspectView

    def get_form_class(self, for_update=False):
        return UnitForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("import/", unit_import_view, name="import"),
            path("export/", unit_export_view, name="export"),
            path("<int:pk>/merge/", unit_merge_view, name="merge"),
        ]


unit_viewset = UnitViewSet("orgs_units", url_prefix="units")
