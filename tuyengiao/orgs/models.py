import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    DEPARTMENT = "department", _("Department")
    COMMISSION = "commission", _("Party commission")
    PARTY_BLOCK = "party_block", _("Party block")
    BRANCH = "branch", _("Party branch")
    SCHOOL = "school", _("Political school")
    PRESS = "press", _("Press agency")
    STEERING_COMMITTEE = "steering_committee", _("Steering committee")
    OTHER = "other", _("Other")


class UnitQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """Units valid on a day (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )

    def subtree(self, unit: "Unit"):
        """The unit and all of its descendants."""
        return self.filter(path__startswith=unit.path)

    def tree_order(self):
        return self.order_by("path")


class Unit(models.Model):
    """A unit of the hierarchy: province → districts, departments, blocks → communes, branches.

    Units open, close and merge: a closed unit keeps its records, and `successor` names the
    unit that took it over. `path` ("/1/4/17/") is maintained by the services for subtree queries.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices, default=UnitKind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=512, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    gso_code = models.CharField(_("statistics code"), max_length=16, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Last day the unit exists."))
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("The unit that took this one over after a merge."),
    )
    note = models.TextField(_("note"), blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgs_unit_valid_period",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def ancestor_ids(self) -> list[int]:
        """IDs from the root down to this unit, this unit included."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or self.valid_to >= on)

    def is_within(self, other: "Unit") -> bool:
        """True if this unit is `other` or one of its descendants."""
        return self.path.startswith(other.path)
