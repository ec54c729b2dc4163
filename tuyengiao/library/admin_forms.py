from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from tuyengiao.accounts.permissions import units_for
from tuyengiao.library import renditions
from tuyengiao.library.models import Book


class BookForm(WagtailAdminModelForm):
    """A book or bulletin issue in the admin: its PDF is digitised and prepared in the background."""

    pdf = forms.FileField(
        label=_("PDF"),
        required=False,
        help_text=_("Text PDF or scanned pages; scanned pages are read by OCR in the background."),
    )
    cover_upload = forms.FileField(
        label=_("Cover"), required=False, help_text=_("JPEG, PNG or WebP. Left empty: made from page 1.")
    )
    epub_upload = forms.FileField(label=_("EPUB"), required=False, help_text=_("Optional, beside the PDF."))
    toc_text = forms.CharField(
        label=_("Table of contents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One entry a line, ending with its page number; indent by two spaces per level. Left empty: taken from "
            "the PDF's bookmarks."
        ),
    )

    class Meta:
        model = Book
        fields = [
            "kind",
            "title",
            "issue_number",
            "authors",
            "publisher",
            "year",
            "collection",
            "subjects",
            "description",
            "access",
            "unit",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["unit"].queryset = units_for(for_user, "library.add_book").tree_order()
        if self.instance.pk and self.instance.toc_manual:
            self.fields["toc_text"].initial = renditions.toc_text(self.instance.toc)

    def clean(self):
        data = super().clean()
        if data.get("kind") == Book.Kind.BULLETIN and not (data.get("issue_number") and data.get("year")):
            self.add_error("issue_number", _("A bulletin issue needs its number and year."))
        if not self.instance.pk and not data.get("pdf"):
            self.add_error("pdf", _("Choose the PDF file of the book."))
        return data
