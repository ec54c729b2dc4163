from ninja import Router, Schema
from ninja.security import django_auth

from tuyengiao.accounts.permissions import role_assignments
from tuyengiao.api.main import ErrorOut

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    role_label: str
    unit_code: str
    unit_name: str


class MeOut(Schema):
    username: str
    full_name: str
    unit_code: str | None
    roles: list[RoleOut]


@router.get("/me", auth=django_auth, response={200: MeOut, 401: ErrorOut}, summary="The signed-in user and their roles")
def me(request):
    from tuyengiao.accounts.roles import Role

    user = request.auth
    return MeOut(
        username=user.get_username(),
        full_name=user.get_full_name(),
        unit_code=user.unit.code if user.unit_id else None,
        roles=[
            RoleOut(role=role, role_label=str(Role(role).label), unit_code=unit.code, unit_name=unit.name)
            for role, unit in role_assignments(user)
        ],
    )
