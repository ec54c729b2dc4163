from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "tuyengiao.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from tuyengiao.accounts.signals import roles_changed
        from tuyengiao.core.models import audit_actions_register

        audit_actions_register({"feedback.approve": _("Feedback approved"), "feedback.reject": _("Feedback rejected")})
        roles_changed.connect(_sync_editorial_permissions, dispatch_uid="portal-editorial-permissions")

        from django.db.models.signals import post_save
        from wagtail.models import Revision
        from wagtail.signals import page_published

        # Scheduling glue only: the moment to publish or expire is queued for the task worker.
        post_save.connect(_schedule_go_live, sender=Revision, dispatch_uid="portal-schedule-go-live")
        page_published.connect(_schedule_expiry, dispatch_uid="portal-schedule-expiry")


def _sync_editorial_permissions(**kwargs):
    from tuyengiao.portal.editorial import editorial_permissions_sync

    editorial_permissions_sync()


def _schedule_go_live(sender, instance, **kwargs):
    if instance.approved_go_live_at:
        from tuyengiao.portal.tasks import publishing_schedule_at

        publishing_schedule_at(instance.approved_go_live_at)


def _schedule_expiry(sender, instance, **kwargs):
    if getattr(instance, "expire_at", None):
        from tuyengiao.portal.tasks import publishing_schedule_at

        publishing_schedule_at(instance.expire_at)
