from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    """The portal's home page (news and the other modules come in their own apps)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        from tuyengiao.orgs.models import Unit

        context = super().get_context(request, *args, **kwargs)
        context["unit_count"] = Unit.objects.current().count()
        return context
