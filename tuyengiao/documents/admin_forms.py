from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from tuyengiao.accounts.permissions import units_for
from tuyengiao.documents.models import Document, RelationKind
from tuyengiao.orgs.models import Unit


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class DocumentForm(WagtailAdminModelForm):
    """A document in the admin: filed by a unit the user manages; files are added here and digitised later."""

    issuer_name = forms.CharField(
        label=_("Issuer"),
        required=False,
        max_length=255,
        help_text=_("e.g. Tỉnh ủy Hà Giang, or Ban Bí thư Trung ương Đảng khóa XII (write the term after “khóa”)."),
    )
    new_files = MultipleFileField(
        label=_("Add files"),
        required=False,
        help_text=_("PDF, Word (DOCX) or scanned pages (PNG, JPEG, TIFF). Scans are read by OCR in the background."),
    )

    class Meta:
        model = Document
        fields = [
            "number",
            "type",
            "title",
            "signer",
            "signer_title",
            "issued_on",
            "effective_on",
            "level",
            "fields",
            "status",
            "access",
            "access_units",
            "unit",
        ]
        widgets = {"title": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["unit"].queryset = units_for(for_user, "documents.add_document").tree_order()
        self.fields["unit"].required = not (for_user and for_user.is_superuser)
        self.fields["access_units"].queryset = Unit.objects.current().tree_order()
        self.fields["access_units"].required = False
        if self.instance.pk and self.instance.issuer_id:
            self.fields["issuer_name"].initial = str(self.instance.issuer)
        order = ["number", "type", "title", "issuer_name"]
        self.order_fields(order + [name for name in self.fields if name not in order])

    def clean(self):
        data = super().clean()
        if data.get("access") == "units" and not data.get("access_units"):
            self.add_error("access_units", _("Choose the units that may read it."))
        return data


class RelationForm(forms.Form):
    kind = forms.ChoiceField(label=_("This document"), choices=RelationKind.choices)
    target_number = forms.CharField(
        label=_("Other document's number"), max_length=60, help_text=_("e.g. 27-NQ/TW; any spelling is understood.")
    )
    target_issued_on = forms.DateField(
        label=_("Its issue date"), required=False, help_text=_("Needed only when several documents share the number.")
    )


class ImportForm(forms.Form):
    metadata = forms.FileField(label=_("metadata.xlsx or metadata.csv"))
    files = MultipleFileField(label=_("The documents' files"), required=False)
    unit = forms.ModelChoiceField(label=_("Filed by unit"), queryset=Unit.objects.none())

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(for_user, "documents.add_document").tree_order()
