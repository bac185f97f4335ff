from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_FIX = Path(__file__).resolve().parents[2] / "fixtures" / "selection" / "uci_sample.py"


def _sample_module():
    spec = importlib.util.spec_from_file_location("selection_uci_sample", _FIX)
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def uci_sample_module():
    return _sample_module()


@pytest.fixture(scope="session")
def uci_sample(tmp_path_factory, uci_sample_module) -> Path:
    return uci_sample_module.write_sample(tmp_path_factory.mktemp("uci") / "uci_sample.csv")
