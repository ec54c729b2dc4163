"""Pieces shared by the admin views of every app."""

from django.core.exceptions import PermissionDenied

from tuyengiao.core.errors import DomainError


class DomainErrorFormMixin:
    """A service's DomainError becomes a message on the form, which keeps what was entered."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as error:
            form.add_error(None, error.message)
            self.produced_error_message = error.message  # Wagtail shows it at the top of the form
            return self.form_invalid(form)


class ObjectPermissionMixin:
    """Refuse a record outside the user's reach: ``user.has_perm("<app>.<action>_<model>", record)``.

    Wagtail checks some views only at model level (its inspect view, for one); every admin view of a
    record that belongs to a unit uses this.
    """

    object_action = "change"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        meta = obj._meta
        if not self.request.user.has_perm(f"{meta.app_label}.{self.object_action}_{meta.model_name}", obj):
            raise PermissionDenied
        return obj
