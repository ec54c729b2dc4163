from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from tuyengiao.accounts.permissions import units_for
from tuyengiao.core.files import FileCheckError, upload_read
from tuyengiao.orgs.models import Unit


class UnitForm(WagtailAdminModelForm):
    """A unit in the admin: the parent may only be a unit the editor manages."""

    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "parent", "gso_code", "valid_from", "valid_to", "note"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["parent"].queryset = units_for(for_user, "orgs.change_unit").tree_order()
        if for_user is not None and not for_user.is_superuser:
            self.fields["parent"].required = True
        if self.instance.pk:
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(path__startswith=self.instance.path)


class UnitMergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"), queryset=Unit.objects.none(), help_text=_("The unit that takes this one over.")
    )
    on = forms.DateField(label=_("From the day"), help_text=_("dd/mm/yyyy. The old unit closes the day before."))

    def __init__(self, *args, unit: Unit, for_user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Unit.objects.current().exclude(path__startswith=unit.path).tree_order()


class UnitImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))

    def clean_file(self):
        try:
            return upload_read(self.cleaned_data["file"])
        except FileCheckError as error:
            raise forms.ValidationError(error.message) from error
