"""Errors of the HS package (stable codes)."""

from __future__ import annotations

from xborder.errors import XborderError


class NomenclatureMissing(XborderError):
    """The requested HS edition has not been loaded into the store."""

    code = "HS_NOMENCLATURE_MISSING"
    http_status = 409
    exit_code = 4


class ClassifierMissing(XborderError):
    """No classifier has been learned yet (run the sync)."""

    code = "HS_CLASSIFIER_MISSING"
    http_status = 409
    exit_code = 4
