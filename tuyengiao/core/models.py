from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Labels of audit actions ("unit.create" → "Tạo đơn vị"); each app registers its own in ready().
AUDIT_ACTION_LABELS: dict[str, str] = {}


def audit_actions_register(labels: dict) -> None:
    AUDIT_ACTION_LABELS.update(labels)


class AuditEntry(models.Model):
    """Who did what to which record, when, and from where. Written only by audit_record()."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("record type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("record ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=255, blank=True)
    changes = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="core_audit_object_idx")]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_name} {self.action_label()} {self.object_repr}"

    def action_label(self) -> str:
        return str(AUDIT_ACTION_LABELS.get(self.action, self.action))

    action_label.short_description = _("action")


class PersonalDataAccess(models.Model):
    """A staff member viewed or exported personal data (citizen ID, phone number)."""

    class Purpose(models.TextChoices):
        VIEW = "view", _("view")
        EXPORT = "export", _("export")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("staff member name"), max_length=150, blank=True)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    subject_type = models.CharField(_("record type"), max_length=100)
    subject_id = models.CharField(_("record ID"), max_length=64, blank=True)
    subject_repr = models.CharField(_("record"), max_length=255, blank=True)
    fields = models.JSONField(_("fields"), default=list)
    record_count = models.PositiveIntegerField(_("records"), default=1)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_name} {self.purpose} {self.subject_repr}"
