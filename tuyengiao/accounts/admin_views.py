"""Staff accounts and roles in the Wagtail admin, limited to the administrator's units."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users as wagtail_users

from tuyengiao.accounts.models import RoleAssignment, User
from tuyengiao.accounts.permissions import scope, units_for
from tuyengiao.accounts.services import role_grant, role_revoke
from tuyengiao.core.admin_views import DomainErrorFormMixin, ObjectPermissionMixin
from tuyengiao.core.services import personal_data_access_record
from tuyengiao.orgs.models import Unit

STAFF_FIELDS = ("unit", "job_title", "phone")


class _StaffFieldsMixin(forms.ModelForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        self.request_user = kwargs.pop("request_user", None)
        super().__init__(*args, **kwargs)
        units = units_for(self.request_user, "accounts.change_user") if self.request_user else Unit.objects.all()
        self.fields["unit"].queryset = units.tree_order()
        if self.request_user is not None and not self.request_user.is_superuser:
            self.fields["unit"].required = True


class StaffCreationForm(_StaffFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(STAFF_FIELDS)


class StaffEditForm(_StaffFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(STAFF_FIELDS)


class _FormUserMixin:
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["request_user"] = self.request.user
        return kwargs


class StaffIndexView(wagtail_users.IndexView):
    def get_base_queryset(self):
        return scope(super().get_base_queryset(), self.request.user, "accounts.view_user").select_related("unit")


class StaffCreateView(_FormUserMixin, wagtail_users.CreateView):
    pass


class StaffEditView(_FormUserMixin, ObjectPermissionMixin, wagtail_users.EditView):
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.object.phone:
            # The form shows the phone number: that is a view of personal data.
            personal_data_access_record(
                actor=request.user, purpose="view", subject=self.object, fields=["phone"], request=request
            )
        return response


class StaffDeleteView(ObjectPermissionMixin, wagtail_users.DeleteView):
    object_action = "delete"


class StaffViewSet(wagtail_users.UserViewSet):
    index_view_class = StaffIndexView
    add_view_class = StaffCreateView
    edit_view_class = StaffEditView
    delete_view_class = StaffDeleteView

    def get_form_class(self, for_update=False):
        return StaffEditForm if for_update else StaffCreationForm


class RoleAssignmentForm(WagtailAdminModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "unit"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["unit"].queryset = units_for(for_user, "accounts.add_roleassignment").tree_order()
        self.fields["user"].queryset = scope(User.objects.order_by("username"), for_user, "accounts.view_user")


class RoleAssignmentIndexView(generic.IndexView):
    def get_base_queryset(self):
        return scope(super().get_base_queryset(), self.request.user, "accounts.view_roleassignment").select_related(
            "user", "unit"
        )


class RoleAssignmentCreateView(DomainErrorFormMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return role_grant(
            user=data["user"], role=data["role"], unit=data["unit"], actor=self.request.user, request=self.request
        )


class RoleAssignmentDeleteView(ObjectPermissionMixin, generic.DeleteView):
    object_action = "delete"

    def delete_action(self):
        role_revoke(assignment=self.object, actor=self.request.user, request=self.request)


class RoleAssignmentViewSet(ModelViewSet):
    model = RoleAssignment
    icon = "key"
    menu_label = _("Roles")
    add_to_settings_menu = True
    menu_order = 610
    list_display = ["user", "role", "unit", "granted_at"]
    list_filter = ["role"]
    copy_view_enabled = False
    index_view_class = RoleAssignmentIndexView
    add_view_class = RoleAssignmentCreateView
    delete_view_class = RoleAssignmentDeleteView

    def get_form_class(self, for_update=False):
        return RoleAssignmentForm


role_viewset = RoleAssignmentViewSet("accounts_roles", url_prefix="roles")
