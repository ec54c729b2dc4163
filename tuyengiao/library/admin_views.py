"""The library section of the back office: books and bulletin issues of the user's units, and collections."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, MenuItem

from tuyengiao.core.admin_views import DomainErrorFormMixin, ObjectPermissionMixin
from tuyengiao.library.admin_forms import BookForm
from tuyengiao.library.models import Book, Collection
from tuyengiao.library.selectors import book_state, books_managed, readings_by_month
from tuyengiao.library.services import book_delete, book_save


class BookIndexView(generic.IndexView):
    def get_base_queryset(self):
        return books_managed(self.request.user)

    @property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(_("Readings per month"), url=reverse("library_admin:readings"), icon_name="table"),
        ]

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.status == Book.Status.PUBLISHED:
            buttons.append(
                MenuItem(_("View on the site"), url=instance.get_absolute_url(), icon_name="link-external", priority=5)
            )
        return buttons


class _BookFormMixin(DomainErrorFormMixin):
    def save_instance(self):
        form = self.form
        book = form.save(commit=False)
        toc = form.cleaned_data.get("toc_text")
        return book_save(
            book,
            pdf=form.cleaned_data.get("pdf"),
            cover=form.cleaned_data.get("cover_upload"),
            epub=form.cleaned_data.get("epub_upload"),
            toc_text=toc if ("toc_text" in form.changed_data) else None,
            user=self.request.user,
            request=self.request,
        )

    def form_valid(self, form):
        unit = form.cleaned_data.get("unit")
        if unit is not None and not self.request.user.has_perm("library.add_book", unit):
            raise PermissionDenied
        return super().form_valid(form)


class BookCreateView(_BookFormMixin, generic.CreateView):
    pass


class BookEditView(_BookFormMixin, ObjectPermissionMixin, generic.EditView):
    template_name = "library/admin/edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["state"], context["state_message"] = book_state(self.object)
        context["scan"] = self.object.scan
        return context


class BookDeleteView(ObjectPermissionMixin, generic.DeleteView):
    object_action = "delete"

    def delete_action(self):
        book_delete(self.object, user=self.request.user, request=self.request)


def readings_view(request):
    """Readings of the user's books per month (counts only: nobody's identity is kept)."""
    if not request.user.has_perm("library.view_book"):
        raise PermissionDenied
    months, rows = readings_by_month(request.user)
    return TemplateResponse(
        request,
        "library/admin/readings.html",
        {
            "months": months,
            "rows": rows,
            "totals": [sum(row["counts"][index] for row in rows) for index in range(len(months))],
            "page_title": _("Readings per month"),
            "header_icon": "table",
        },
    )


class BookViewSet(ModelViewSet):
    model = Book
    form_fields = BookForm.Meta.fields
    icon = "openquote"
    menu_label = gettext_lazy("Books and bulletins")
    list_display = ["title", "kind", "year", "collection", "status", "pages_total", "reads", "unit"]
    list_filter = ["kind", "collection", "status", "access"]
    search_fields = ["title", "authors"]
    ordering = ["-created_at"]
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = BookIndexView
    add_view_class = BookCreateView
    edit_view_class = BookEditView
    delete_view_class = BookDeleteView

    def get_form_class(self, for_update=False):
        return BookForm

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("readings/", readings_view, name="readings")]


class CollectionViewSet(ModelViewSet):
    model = Collection
    form_fields = ["name", "slug", "description", "order"]
    icon = "folder-open-inverse"
    menu_label = gettext_lazy("Collections")
    list_display = ["name", "slug", "order"]
    copy_view_enabled = False


class LibraryGroup(ViewSetGroup):
    menu_label = gettext_lazy("E-book library")
    menu_icon = "openquote"
    menu_order = 250
    items = (
        BookViewSet("library_admin", url_prefix="library"),
        CollectionViewSet("library_collections", url_prefix="library/collections"),
    )
