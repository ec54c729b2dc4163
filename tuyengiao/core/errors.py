"""Domain errors: each carries a machine-readable code and a Vietnamese message."""


class DomainError(Exception):
    """Base class: views show `message`, the API returns {"code", "message"}."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, details: list | None = None):
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.details = details or []


class PermissionDeniedError(DomainError):
    code = "permission_denied"
    status = 403


class NotFoundError(DomainError):
    code = "not_found"
    status = 404


class InvalidInputError(DomainError):
    code = "invalid_request"
    status = 422
