from django.utils.translation import gettext as _
from wagtail.admin.views.account import LoginView

from tuyengiao.core.ratelimits import rate_limit_hit
from tuyengiao.core.services import audit_record

LOGIN_RATE_PER_ADDRESS = "20/10m"
LOGIN_RATE_PER_USERNAME = "5/5m"


class AdminLoginView(LoginView):
    """Wagtail's sign-in, limited per address and per user name, with sign-ins audited."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["password"].label = _("Password")  # Wagtail's form leaves it to the untranslated field name
        return form

    def post(self, request, *args, **kwargs):
        over = rate_limit_hit(request, group="login-address", rate=LOGIN_RATE_PER_ADDRESS)
        over |= rate_limit_hit(request, group="login-username", rate=LOGIN_RATE_PER_USERNAME, key="post:username")
        if over:
            form = self.get_form()
            form.is_valid()
            form.add_error(None, _("Too many sign-in attempts. Please wait five minutes and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=form.get_user(), action="user.login", obj=form.get_user(), request=self.request)
        return response
