import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from tuyengiao.api.main import DAY, UNIT_CODE, ErrorOut, QueryParams
from tuyengiao.core.errors import InvalidInputError, NotFoundError
from tuyengiao.orgs.models import Unit, UnitKind
from tuyengiao.orgs.selectors import unit_list

router = Router(tags=["units"])


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    parent_code: str | None
    depth: int
    gso_code: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    successor_code: str | None

    @staticmethod
    def resolve_kind_label(unit):
        return unit.get_kind_display()

    @staticmethod
    def resolve_parent_code(unit):
        return unit.parent.code if unit.parent_id else None

    @staticmethod
    def resolve_successor_code(unit):
        return unit.successor.code if unit.successor_id else None


class UnitPage(Schema):
    count: int
    items: list[UnitOut]


class UnitFilter(QueryParams):
    kind: UnitKind | None = Field(None, description="Only units of this kind.")
    parent: str | None = Field(
        None,
        max_length=32,
        pattern=UNIT_CODE,
        description="Only the children of the unit with this code.",
    )
    on: str | None = Field(None, description="Only units that exist on this day (YYYY-MM-DD).", **DAY)
    limit: int = Field(500, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get("/units", response={200: UnitPage, 404: ErrorOut, 422: ErrorOut}, summary="The unit tree, in tree order")
def units(request, filters: Query[UnitFilter]):
    parent = None
    if filters.parent:
        parent = Unit.objects.filter(code=filters.parent).first()
        if parent is None:
            raise NotFoundError(
                _("There is no unit with the code “%(code)s”.") % {"code": filters.parent}, code="unknown_unit"
            )
    try:
        on = datetime.date.fromisoformat(filters.on) if filters.on else None
    except ValueError as error:
        raise InvalidInputError(_("“%(day)s” is not a date.") % {"day": filters.on}) from error
    queryset = unit_list(kind=filters.kind, parent=parent, on=on)
    count = queryset.count()
    return UnitPage(count=count, items=list(queryset[filters.offset : filters.offset + filters.limit]))


@router.get("/units/{code}", response={200: UnitOut, 404: ErrorOut, 422: ErrorOut}, summary="One unit")
def unit(request, code: str = Path(..., pattern=UNIT_CODE)):
    return get_object_or_404(Unit.objects.select_related("parent", "successor"), code=code)
