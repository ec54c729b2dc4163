import factory

from tuyengiao.orgs.models import Unit, UnitKind
from tuyengiao.orgs.services import unit_create


class UnitFactory(factory.Factory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = UnitKind.OTHER
    parent = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        return unit_create(**kwargs)
