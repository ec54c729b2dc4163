from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuyengiao.accounts.roles import Role


class User(AbstractUser):
    """A person who signs in: staff belong to a unit and hold roles in units."""

    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [("view_personal_data", _("Can view personal data"))]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        # Vietnamese order: family name first.
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()


class RoleAssignment(models.Model):
    """`user` holds `role` in `unit`, and so in every unit below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="accounts_role_once_per_unit")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.unit}"
