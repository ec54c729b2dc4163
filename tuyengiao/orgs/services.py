"""Writes to the unit hierarchy. Every change is audited."""

import datetime
import re

from django.db import transaction
from django.utils.translation import gettext as _

from tuyengiao.core.errors import DomainError
from tuyengiao.core.services import audit_record
from tuyengiao.core.text import nfc
from tuyengiao.orgs.models import Unit, UnitKind

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}$")


def path_segment(unit_id: int) -> str:
    """Zero-padded, so that sorting by path lists a parent, then its children, in creation order."""
    return f"{unit_id:07d}/"


class UnitError(DomainError):
    code = "invalid_unit"


def paths_rebuild() -> int:
    """Recompute every unit's path and depth from the parent links; returns the number changed.

    Called after writes that move units, so that subtree queries stay a single LIKE.
    """
    rows = list(Unit.objects.values_list("id", "parent_id", "path", "depth"))
    parents = {row[0]: row[1] for row in rows}
    paths: dict[int, str] = {}

    def path_of(unit_id: int, trail: tuple = ()) -> str:
        if unit_id in paths:
            return paths[unit_id]
        if unit_id in trail:
            raise UnitError(_("The units form a cycle: a unit cannot be its own ancestor."), code="unit_cycle")
        parent_id = parents[unit_id]
        prefix = path_of(parent_id, (*trail, unit_id)) if parent_id else "/"
        paths[unit_id] = f"{prefix}{path_segment(unit_id)}"
        return paths[unit_id]

    changed = []
    for unit_id, _parent, old_path, old_depth in rows:
        path = path_of(unit_id)
        depth = path.count("/") - 2
        if path != old_path or depth != old_depth:
            changed.append(Unit(id=unit_id, path=path, depth=depth))
    Unit.objects.bulk_update(changed, ["path", "depth"], batch_size=500)
    return len(changed)


def _check(unit: Unit) -> None:
    if not CODE_PATTERN.match(unit.code):
        raise UnitError(
            _("The code “%(code)s” may hold only letters without accents, digits, “-”, “_” and “.” (at most 32).")
            % {"code": unit.code}
        )
    if not unit.name.strip():
        raise UnitError(_("The unit needs a name."))
    if unit.kind not in UnitKind.values:
        raise UnitError(_("“%(kind)s” is not a kind of unit.") % {"kind": unit.kind})
    if unit.valid_from and unit.valid_to and unit.valid_to < unit.valid_from:
        raise UnitError(_("The unit cannot end before it begins."))
    if unit.pk and unit.parent_id:
        parent = Unit.objects.get(pk=unit.parent_id)
        if unit.pk in parent.ancestor_ids:
            raise UnitError(
                _("“%(parent)s” is inside “%(unit)s”, so it cannot be its parent.")
                % {"parent": parent.name, "unit": unit.name},
                code="unit_cycle",
            )
    if unit.pk and unit.successor_id == unit.pk:
        raise UnitError(_("A unit cannot be its own successor."))


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    kind: str = UnitKind.OTHER,
    parent: Unit | None = None,
    gso_code: str = "",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    note: str = "",
    actor=None,
    request=None,
) -> Unit:
    if Unit.objects.filter(code=code).exists():
        raise UnitError(_("A unit with the code “%(code)s” already exists.") % {"code": code}, code="duplicate_code")
    unit = Unit(
        code=code.strip(),
        name=nfc(name).strip(),
        kind=kind,
        parent=parent,
        gso_code=gso_code.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        note=nfc(note),
    )
    _check(unit)
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{path_segment(unit.pk)}"
    unit.depth = unit.path.count("/") - 2
    unit.save(update_fields=["path", "depth"])
    audit_record(actor=actor, action="unit.create", obj=unit, request=request, changes={"code": unit.code})
    return unit


UPDATABLE = ("code", "name", "kind", "parent", "gso_code", "valid_from", "valid_to", "successor", "note")


@transaction.atomic
def unit_update(*, unit: Unit, actor=None, request=None, **fields) -> Unit:
    """Change a unit's fields; moving it under another parent moves its subtree with it."""
    unknown = set(fields) - set(UPDATABLE)
    if unknown:
        raise TypeError(f"unit_update() got unexpected fields {sorted(unknown)}")
    before = {name: str(getattr(unit, name) or "") for name in fields}
    for name, value in fields.items():
        setattr(unit, name, nfc(value).strip() if isinstance(value, str) else value)
    if "code" in fields and Unit.objects.filter(code=unit.code).exclude(pk=unit.pk).exists():
        raise UnitError(
            _("A unit with the code “%(code)s” already exists.") % {"code": unit.code}, code="duplicate_code"
        )
    _check(unit)
    unit.save(update_fields=[name if name not in ("parent", "successor") else f"{name}_id" for name in fields] or None)
    if "parent" in fields:
        paths_rebuild()
        unit.refresh_from_db(fields=["path", "depth"])
    changes = {
        name: [before[name], str(getattr(unit, name) or "")]
        for name in fields
        if before[name] != str(getattr(unit, name) or "")
    }
    audit_record(actor=actor, action="unit.update", obj=unit, request=request, changes=changes)
    return unit


@transaction.atomic
def unit_merge(*, unit: Unit, into: Unit, on: datetime.date, actor=None, request=None) -> Unit:
    """Merge `unit` into `into` from day `on`: it closes the day before and names `into` its successor.

    Records stay attached to `unit`; roll-ups (orgs.selectors.unit_rollup_ids) show them under `into`.
    """
    if unit.pk == into.pk:
        raise UnitError(_("A unit cannot be merged into itself."), code="merge_into_self")
    if into.is_within(unit):
        raise UnitError(
            _("“%(into)s” is part of “%(unit)s”; merge it into a unit outside it.")
            % {"into": into.name, "unit": unit.name},
            code="merge_into_descendant",
        )
    if on == datetime.date.min or (unit.valid_from and on <= unit.valid_from):
        # It would close before the day it began (or before the first day of the calendar).
        raise UnitError(_("The merge date is before the unit began."), code="merge_before_start")
    if not into.is_current(on):
        raise UnitError(
            _("“%(into)s” no longer exists on %(day)s; choose a unit that does.")
            % {"into": into.name, "day": on.strftime("%d/%m/%Y")},
            code="merge_into_closed",
        )
    if unit.successor_id:
        raise UnitError(_("“%(unit)s” has already been merged.") % {"unit": unit.name}, code="already_merged")
    unit.valid_to = on - datetime.timedelta(days=1)
    unit.successor = into
    unit.save(update_fields=["valid_to", "successor"])
    audit_record(
        actor=actor,
        action="unit.merge",
        obj=unit,
        request=request,
        changes={"into": into.code, "on": on.isoformat()},
    )
    return unit
