"""Reads over the unit hierarchy."""

import datetime

from tuyengiao.orgs.models import Unit


def unit_successor_chain(unit: Unit) -> list[Unit]:
    """The units that took `unit` over, in order (empty for a unit that was never merged)."""
    chain: list[Unit] = []
    seen = {unit.pk}
    current = unit
    while current.successor_id and current.successor_id not in seen:
        current = Unit.objects.only("id", "path", "successor_id", "name", "code").get(pk=current.successor_id)
        seen.add(current.pk)
        chain.append(current)
    return chain


def unit_effective(unit: Unit) -> Unit:
    """The unit that carries `unit`'s work today: itself, or the last of its successors."""
    chain = unit_successor_chain(unit)
    return chain[-1] if chain else unit


def unit_governing_ids(unit: Unit) -> set[int]:
    """Units whose roles reach `unit`: its ancestors and itself, and, where any of them was
    merged, the unit that took it over and that unit's ancestors.

    A role held in a unit applies to that unit and its descendants; after a merge it also
    reaches the records of the units merged into it.
    """
    ids = set(unit.ancestor_ids)
    while True:
        paths = list(Unit.objects.filter(predecessors__id__in=ids).exclude(id__in=ids).values_list("path", flat=True))
        if not paths:
            return ids
        for path in paths:
            ids.update(int(part) for part in path.strip("/").split("/"))


def unit_rollup_ids(unit: Unit) -> set[int]:
    """Units whose records roll up under `unit`: its subtree and every unit merged into it."""
    ids = set(Unit.objects.subtree(unit).values_list("id", flat=True))
    while True:
        merged_paths = list(
            Unit.objects.filter(successor_id__in=ids).exclude(id__in=ids).values_list("path", flat=True)
        )
        if not merged_paths:
            return ids
        for path in merged_paths:
            ids.update(Unit.objects.filter(path__startswith=path).values_list("id", flat=True))


def unit_list(*, kind: str | None = None, parent: Unit | None = None, on: datetime.date | None = None):
    """Units in tree order, optionally only one kind, the children of `parent`, or those valid on a day."""
    units = Unit.objects.select_related("parent", "successor").tree_order()
    if kind:
        units = units.filter(kind=kind)
    if parent is not None:
        units = units.filter(parent=parent)
    if on is not None:
        units = units.current(on)
    return units
