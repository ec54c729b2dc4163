"""The JSON API under /api/v1/. Errors are {"code", "message", "details"}, their messages in Vietnamese."""

import re

from django.core.validators import ProhibitNullCharactersValidator
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from pydantic import ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticUndefined

from tuyengiao.core.errors import DomainError


class UTF8Renderer(JSONRenderer):
    """Vietnamese text as UTF-8, not \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=UTF8Renderer(),
    title="Tuyên giáo số API",
    version="1",
    description='JSON API of Tuyên giáo số. Errors are returned as {"code", "message"}.',
    urls_namespace="api-v1",
)


# Patterns for text parameters that reach a database query: PostgreSQL refuses the NUL character, so such
# input is refused with a 422 before it gets there. Each is written so that the API and the OpenAPI document's
# readers take the same values: their `\w` and `\d` are Unicode here and ASCII there (ECMAScript's), so ASCII
# classes are spelled out. A slug that may hold Vietnamese letters (a Wagtail page's, a tag's) is NO_NUL.
NO_NUL = r"^[^\x00]*$"
SLUG = r"^[-a-zA-Z0-9_]+$"  # a SlugField's (ASCII)
UNIT_CODE = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}$"
# A day as text (YYYY-MM-DD), for Field(**DAY): a date type would read "0" as 1 January 1970.
DAY = {"pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "json_schema_extra": {"format": "date"}}


# What each of those patterns asks for, in words: a refused value is told why in the reader's language.
PATTERN_PROBLEMS = {
    NO_NUL: ProhibitNullCharactersValidator.message,  # as a form says it
    SLUG: gettext_lazy("Only Latin letters without diacritics, digits, “-” and “_”."),
    UNIT_CODE: gettext_lazy(
        "A unit code: up to 32 Latin letters without diacritics, digits, “.”, “-” or “_”, first a letter or digit."
    ),
    DAY["pattern"]: gettext_lazy("A date written YYYY-MM-DD, such as 2026-12-08."),
}
CHOICE_PATTERN = re.compile(r"\^\(([-\w]+(?:\|[-\w]+)*)\)\$")  # ^(relevance|date)$
# pydantic's other errors by type (pydantic_core's ErrorType) that our parameters and bodies can give, in words;
# %(…)s are read from the error's context. Any other type is "Giá trị không hợp lệ." (problem_text).
PROBLEMS = {
    "missing": gettext_lazy("Required."),
    "string_type": gettext_lazy("Must be text."),
    "string_too_long": gettext_lazy("At most %(max_length)s characters."),
    "string_too_short": gettext_lazy("At least %(min_length)s characters."),
    "int_type": gettext_lazy("Must be a whole number."),
    "int_parsing": gettext_lazy("Must be a whole number."),
    "greater_than_equal": gettext_lazy("Must be %(ge)s or more."),
    "less_than_equal": gettext_lazy("Must be %(le)s or less."),
    "dict_type": gettext_lazy("Must be an object ({…})."),
    "list_type": gettext_lazy("Must be a list ([…])."),
    "too_long": gettext_lazy("At most %(max_length)s items."),
}


_ANNOTATIONS = ("title", "description", "default", "examples")


def _empty_allowed(schema: dict, model) -> None:
    """The JSON schema of `model` (a QueryParams) with "or empty" added to each property that has a default."""
    for name, field in model.model_fields.items():
        prop = schema.get("properties", {}).get(field.alias or name)
        if prop is None or field.is_required():
            continue
        kept = {key: prop.pop(key) for key in _ANNOTATIONS if key in prop}
        given = dict(prop)
        prop.clear()
        prop.update(kept, anyOf=[given, {"type": "string", "maxLength": 0}])


class QueryParams(Schema):
    """The query parameters of a listing or a search. A parameter left empty ("?level=", as an HTML form sends a
    filter no one chose) is one not given: it takes its default; a required one stays empty, to be refused. The
    OpenAPI document says so: each parameter with a default may also be empty."""

    model_config = ConfigDict(json_schema_extra=_empty_allowed)

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_absent(cls, value, info: ValidationInfo):
        if value == "":
            default = cls.model_fields[info.field_name].default
            return value if default is PydanticUndefined else default
        return value


class ErrorOut(Schema):
    code: str
    message: str
    details: list = []


def error_response(request, status: int, code: str, message: str, details: list | None = None):
    return api.create_response(request, {"code": code, "message": message, "details": details or []}, status=status)


def problem_text(error: dict) -> str:
    """What is wrong with one value, in the reader's language, from one of pydantic's errors (whose English `msg`
    is for Python programmers: "String should match pattern '^[^\\x00]*$'")."""
    kind, context = error.get("type", ""), error.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        pattern = context.get("pattern", "")
        if pattern in PATTERN_PROBLEMS:
            return str(PATTERN_PROBLEMS[pattern])
        if choices := CHOICE_PATTERN.fullmatch(pattern):
            return _("Must be one of: %(choices)s.") % {"choices": ", ".join(choices[1].split("|"))}
        return _("Not of the allowed form (%(pattern)s).") % {"pattern": pattern}
    if kind in ("literal_error", "enum") and (expected := re.findall(r"'([^']*)'", str(context.get("expected")))):
        return _("Must be one of: %(choices)s.") % {"choices": ", ".join(expected)}  # "'a', 'b' or 'c'"
    if kind == "string_too_short" and context.get("min_length") == 1:
        return _("Must not be empty.")
    try:
        return str(PROBLEMS[kind]) % context
    except (KeyError, TypeError, ValueError):  # an error of another type, or one without the usual context
        return _("Not a valid value.")


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    details = [
        {"field": ".".join(str(part) for part in error.get("loc", [])[1:]), "problem": problem_text(error)}
        for error in exc.errors
    ]
    return error_response(request, 422, "invalid_request", _("The request has invalid parameters."), details)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return error_response(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, "not_found", _("Not found."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return error_response(request, 401, "unauthenticated", _("Please sign in."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    message = str(exc)
    if message.startswith("Cannot parse request body"):  # django-ninja's own, in English: a body that is not JSON
        message = _("The request body could not be read: send it as JSON.")
    return error_response(request, exc.status_code, "http_error", message)


@api.exception_handler(Exception)
def on_server_error(request, exc):
    import logging

    logging.getLogger("tuyengiao.api").exception("API error", exc_info=exc)
    return error_response(request, 500, "server_error", _("Something went wrong on our side. Please try again later."))


def register_routers():
    from tuyengiao.accounts.api import router as accounts_router
    from tuyengiao.api.health import router as health_router
    from tuyengiao.contests.api import router as contests_router
    from tuyengiao.documents.api import router as documents_router
    from tuyengiao.library.api import router as library_router
    from tuyengiao.orgs.api import router as units_router
    from tuyengiao.portal.api import router as news_router

    api.add_router("/", health_router)
    api.add_router("/", units_router)
    api.add_router("/", accounts_router)
    api.add_router("/", news_router)
    api.add_router("/", documents_router)
    api.add_router("/", contests_router)
    api.add_router("/", library_router)


register_routers()
