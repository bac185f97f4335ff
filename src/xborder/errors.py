"""One error family with stable codes, translated only at the edges.

API: ``{"code": ..., "message": ...}`` with the HTTP status below; web: a message on the page;
CLI: a one-line reason and a non-zero exit code.
"""

from __future__ import annotations

from typing import Any


class XborderError(Exception):
    code = "ERROR"
    http_status = 400
    exit_code = 1

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None, **details: Any):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            out["field"] = self.field
        if self.details:
            out.update(self.details)
        return out

    def __str__(self) -> str:
        return self.message


class ValidationError(XborderError):
    code = "VALIDATION_ERROR"
    http_status = 422
    exit_code = 2


class NotFound(XborderError):
    code = "NOT_FOUND"
    http_status = 404
    exit_code = 3


class Conflict(XborderError):
    code = "CONFLICT"
    http_status = 409
    exit_code = 4


class AuthenticationError(XborderError):
    code = "UNAUTHENTICATED"
    http_status = 401
    exit_code = 5


class PermissionDenied(XborderError):
    code = "FORBIDDEN"
    http_status = 403
    exit_code = 6


class TooManyAttempts(XborderError):
    code = "TOO_MANY_ATTEMPTS"
    http_status = 429
    exit_code = 7


class CurrencyMismatch(XborderError):
    code = "CURRENCY_MISMATCH"
    http_status = 422
    exit_code = 2


class ImportRejected(ValidationError):
    """A file failed validation; nothing was written. ``errors`` lists every bad line."""

    code = "IMPORT_REJECTED"

    def __init__(self, message: str, errors: list[dict[str, Any]]):
        super().__init__(message)
        self.errors = errors

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "errors": self.errors}


def input_error_from(exc: BaseException) -> XborderError | None:
    """The user's error inside a database exception, if it is one: an XborderError raised while
    binding a value (e.g. too many decimals), a number too large for a 64-bit column (SQLite:
    OverflowError; PostgreSQL: numeric value out of range, a DataError). None: a real fault."""
    from sqlalchemy.exc import DataError, StatementError  # here only: the domain modules never need it

    orig = exc.orig if isinstance(exc, StatementError) else exc
    if isinstance(orig, XborderError):
        return orig
    if isinstance(exc, DataError):  # PostgreSQL checks lengths and ranges that SQLite does not
        import re

        too_long = re.search(r"value too long for type character varying\((\d+)\)", str(orig))
        if too_long:
            return ValidationError(f"a text is too long: at most {too_long.group(1)} characters in that field")
    if isinstance(orig, OverflowError) or isinstance(exc, DataError):
        return ValidationError("a number is too large, or a value out of range: check the amounts, quantities and ids "
                               "you entered")
    return None
