from django import forms
from django.utils.translation import gettext_lazy as _

from tuyengiao.core.search import QUERY_MAX_LENGTH, QUERY_TOO_LONG, query_typed
from tuyengiao.documents.models import DocumentType, Field, Issuer, Level, Status

YEAR_ERRORS = {
    "invalid": _("Write a year with four digits, e.g. 2020."),
    "min_value": _("Write a year from 1930 on."),
    "max_value": _("Write a year up to 2100."),
}
CHOICE_ERRORS = {"invalid_choice": _("This value is not in the list; choose one of the list.")}
SORTS = [("relevance", _("Most relevant")), ("date", _("Newest"))]


class SearchForm(forms.Form):
    """The public search box and its filters; a bad value is reported and ignored, never a server error."""

    q = forms.CharField(
        label=_("Words or number"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        error_messages={"max_length": QUERY_TOO_LONG},
    )
    type = forms.ModelChoiceField(
        label=_("Type"),
        queryset=DocumentType.objects.all(),
        required=False,
        empty_label=_("All types"),
        error_messages=CHOICE_ERRORS,
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("All levels")), *Level.choices], required=False, error_messages=CHOICE_ERRORS
    )
    issuer = forms.ModelChoiceField(
        label=_("Issuer"),
        queryset=Issuer.objects.all(),
        required=False,
        empty_label=_("All issuers"),
        error_messages=CHOICE_ERRORS,
    )
    field = forms.ModelChoiceField(
        label=_("Field"),
        queryset=Field.objects.all(),
        required=False,
        empty_label=_("All fields"),
        error_messages=CHOICE_ERRORS,
    )
    year_from = forms.IntegerField(
        label=_("From year"), required=False, min_value=1930, max_value=2100, error_messages=YEAR_ERRORS
    )
    year_to = forms.IntegerField(
        label=_("To year"), required=False, min_value=1930, max_value=2100, error_messages=YEAR_ERRORS
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *Status.choices],
        required=False,
        error_messages=CHOICE_ERRORS,
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False, error_messages=CHOICE_ERRORS)

    def clean(self):
        data = super().clean()
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            self.add_error("year_to", _("The end year must not be before the start year."))
        return data

    def filters_open(self) -> bool:
        """Whether the filters are shown open: one is chosen (or the newest first), or one is refused. A search from
        the box alone keeps them closed, so that its results stand in a phone's first screen, not below seven lists."""
        if not self.is_bound:
            return False
        chosen = [name for name in self.fields if name not in ("q", "sort") and self.data.get(name)]
        newest = self.data.get("sort") not in (None, "", "relevance")
        return bool(chosen or newest or set(self.errors) - {"q"})

    def query(self) -> str:
        """The words to search: as typed; with an error (too long, a NUL), as query_typed keeps them."""
        if "q" in self.errors:
            return query_typed(self.data.get("q"))
        return self.cleaned_data.get("q") or ""

    def filters(self) -> dict:
        """The filters that are valid (invalid ones are left out and shown as errors)."""
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return {
            "type": data["type"].pk if data.get("type") else None,
            "level": data.get("level") or None,
            "issuer": data["issuer"].pk if data.get("issuer") else None,
            "field": data["field"].pk if data.get("field") else None,
            "year_from": data.get("year_from"),
            "year_to": data.get("year_to"),
            "status": data.get("status") or None,
        }
