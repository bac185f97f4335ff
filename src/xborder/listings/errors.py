"""Errors of the listings package (stable codes)."""

from __future__ import annotations

from xborder.errors import XborderError


class ProviderError(XborderError):
    """The configured text-generation provider failed or answered something unusable."""

    code = "TEXTGEN_PROVIDER_ERROR"
    http_status = 502
    exit_code = 8


class ProviderDisabled(XborderError):
    code = "TEXTGEN_DISABLED"
    http_status = 409
    exit_code = 4
