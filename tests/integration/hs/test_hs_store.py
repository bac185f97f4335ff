"""Sync of the HS sources into the store, provenance, versions, and the services on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from xborder.accounts.model import Role
from xborder.accounts.service import Principal
from xborder.catalog import service as catalog
from xborder.errors import NotFound, PermissionDenied, ValidationError
from xborder.hs import classifier, service
from xborder.hs.errors import ClassifierMissing, NomenclatureMissing
from xborder.hs.orm import HsClassifierModel, HsCode, HsSection, HsTrainingExample
from xborder.reference import service as reference
from xborder.reference.orm import DataSource

MINI = Path(__file__).parent / "minidata"
ALL = ["hs-2017", "hs-2022", "hs-classifier"]


@pytest.fixture(autouse=True)
def _stock_encoder(monkeypatch):
    """The stock encoder (no fine-tuning: faster); the first test runs the default, fine-tuned one."""
    monkeypatch.setenv("XBORDER_HS_ENCODER", "minilm")


def _sync(container, root=MINI, only=ALL):
    return {o.name: o for o in reference.sync(container.sessions, root, only)}


def test_sync_loads_both_editions_with_provenance(container, uow, monkeypatch):
    monkeypatch.delenv("XBORDER_HS_ENCODER")  # the default: the encoder fine-tuned on the labelled texts
    out = _sync(container)
    assert {n: o.status for n, o in out.items()} == {"hs-2017": "loaded", "hs-2022": "loaded", "hs-classifier": "loaded"}
    assert out["hs-2022"].rows == 22 and out["hs-2017"].rows == 4
    s = uow.session
    src = reference.current(s, "hs-2022")
    assert src.version == "HS 2022" and len(src.sha256) == 64 and src.licence == "ODC-PDDL-1.0"
    assert str(src.effective_from) == "2022-01-01" and str(src.effective_to) == "2027-12-31"
    assert "dropped 4 Comtrade artefact/blank rows" in src.notes
    codes = set(s.scalars(select(HsCode.code).where(HsCode.source_id == src.id)))
    assert {"61", "6109", "610910"} <= codes and not codes & {"99", "9999", "999999"}
    assert s.scalar(select(func.count()).select_from(HsSection).where(HsSection.source_id == src.id)) == 6
    model = s.scalar(select(HsClassifierModel))
    assert model.hs_version == "2022" and model.library.startswith("scikit-learn")
    assert model.n_label == 19 and model.n_vague == 6 and model.artefact_bytes == len(model.artefact)
    clf_src = reference.current(s, "hs-classifier")
    assert "known wrong pairs 1" in clf_src.notes and "skipped extra_references.csv line 10" in clf_src.notes
    # the sentence encoder's document vectors are in the artefact, and the service loads it with the encoder
    assert "sentence encoder: sentence-transformers/all-MiniLM-L6-v2#tuned-" in clf_src.notes
    assert "encoder fine-tuned on 19 descriptions and the subheading texts" in clf_src.notes
    assert "(all-MiniLM-L6-v2 fine-tuned)" in model.library
    from xborder.hs import embedding, service
    from xborder.hs.classifier import HsClassifier

    name = HsClassifier.embedder_name(model.artefact)
    assert name.startswith(embedding.TUNED_PREFIX)
    embedding._cache.pop(name, None)  # as in another process: the weights come from the stored artefact
    clf = service.classifier(s)
    assert clf.embedder is not None and clf.embedder.name == name and clf.encoder_weights
    assert set(clf.dense) == {"dense_label", "dense_nomen", "dense_centroid"}
    assert clf.dense["dense_label"].shape == (19, 384)


def test_sync_without_the_encoder_builds_a_tfidf_model(container, uow, monkeypatch):
    monkeypatch.setenv("XBORDER_HS_ENCODER", "none")
    out = _sync(container)
    assert out["hs-classifier"].status == "loaded"
    s = uow.session
    assert "sentence encoder: none (TF-IDF only)" in reference.current(s, "hs-classifier").notes
    from xborder.hs import service

    r = service.classify(s, "cotton t-shirt", top=3)
    assert r.candidates[0].code == "610910" and service.classifier(s).embedder is None


def test_the_quick_model_by_option_then_another_model_learns_again(container, uow):
    """``--hs-encoder none`` (the demo's quick model) and a later sync with another encoder: the
    second one learns again (the encoder is part of the load's hash), and says which model is loaded."""
    from xborder.hs import service

    out = {o.name: o for o in reference.sync(container.sessions, MINI, ["hs-2022", "hs-classifier"],
                                             options={"hs_encoder": "none"})}
    assert out["hs-classifier"].status == "loaded"
    s = uow.session
    info = service.classifier_info(s)
    assert info["kind"] == "quick" and info["labelled_examples"] == 19
    again = reference.sync(container.sessions, MINI, ["hs-classifier"], options={"hs_encoder": "none"})
    assert again[0].status == "unchanged"
    s.rollback()
    other = reference.sync(container.sessions, MINI, ["hs-classifier"])  # XBORDER_HS_ENCODER=minilm (fixture)
    assert other[0].status == "loaded"
    s.rollback()
    assert service.classifier_info(s)["kind"] == "encoder" and service.classifier(s).embedder is not None
    with pytest.raises(ValidationError) as e:
        reference.sync(container.sessions, MINI, ["hs-classifier"], options={"hs_encoder": "gpt"})
    assert e.value.field == "hs_encoder"


def test_sync_is_idempotent(container, uow):
    _sync(container)
    again = _sync(container)
    assert {o.status for o in again.values()} == {"unchanged"}
    s = uow.session
    assert s.scalar(select(func.count()).select_from(HsClassifierModel)) == 1
    assert s.scalar(select(func.count()).select_from(HsCode)) == 26
    assert s.scalar(select(func.count()).select_from(HsTrainingExample)) == 25


def test_training_examples_keep_file_and_line_and_skip_wrong_pairs(container, uow):
    _sync(container)
    rows = uow.session.scalars(select(HsTrainingExample).where(HsTrainingExample.kind == "label")).all()
    by_text = {r.text: r for r in rows}
    assert by_text["girls tshirt cotton"].file == "extra_references.csv" and by_text["girls tshirt cotton"].line == 3
    assert by_text["girls tshirt cotton"].code == "6109100010" and by_text["girls tshirt cotton"].hs6 == "610910"
    assert "ceramic coffee mug gift" not in by_text  # known wrong pair
    assert "table" not in by_text  # 940360 is not in this nomenclature


def test_a_changed_file_is_loaded_beside_the_earlier_version(container, uow, tmp_path):
    _sync(container)
    root = tmp_path / "data"
    shutil.copytree(MINI, root)
    f = root / "hs" / "harmonized-system-2022.csv"
    f.write_text(f.read_text("utf-8").replace("Electrical static converters", "Static converters (chargers)"), "utf-8")
    out = _sync(container, root, ["hs-2022", "hs-classifier"])
    assert out["hs-2022"].status == "loaded" and out["hs-classifier"].status == "loaded"
    s = uow.session
    loads = reference.history(s, "hs-2022")
    assert len(loads) == 2 and loads[1].superseded and not loads[0].superseded
    assert s.scalar(select(func.count()).select_from(HsCode).where(HsCode.version == "2022")) == 44  # both kept
    assert service.lookup(s, "850440").description == "Static converters (chargers)"
    assert service.classify(s, "usb charger").candidates[0].description == "Static converters (chargers)"


def test_a_bad_nomenclature_file_writes_nothing(container, uow, tmp_path):
    root = tmp_path / "data"
    shutil.copytree(MINI, root)
    f = root / "hs" / "harmonized-system-2022.csv"
    f.write_text(f.read_text("utf-8").replace("XI,610910,", "XI,61091x,").replace("XI,6110,", "XI,6110,x"), "utf-8")
    out = _sync(container, root, ["hs-2022"])
    assert out["hs-2022"].status == "failed" and "2 bad line(s)" in out["hs-2022"].message
    s = uow.session
    assert s.scalar(select(func.count()).select_from(HsCode)) == 0
    assert s.scalar(select(func.count()).select_from(DataSource).where(DataSource.name == "hs-2022")) == 0


def test_services_explain_what_is_missing(uow):
    with pytest.raises(NomenclatureMissing, match="--only hs-2022"):
        service.search(uow.session, "6109")
    with pytest.raises(ClassifierMissing, match="data sync"):
        service.classify(uow.session, "cotton t-shirt")


def test_search_and_classify_through_the_store(container, uow):
    _sync(container)
    s = uow.session
    assert [h.code for h in service.search(s, "6109")] == ["6109", "610910", "610990"]
    assert [h.code for h in service.search(s, "6109", version="2017")] == ["6109", "610910", "610990"]
    assert service.search(s, "cotton t-shirts")[0].code == "610910"
    r = service.classify(s, "cotton t-shirt", top=3)
    assert r.candidates[0].code == "610910" and not r.vague
    d = service.classification_dict(r)
    assert d["hs_version"] == "2022" and d["candidates"][0]["code"] == "610910"
    assert service.classify(s, "gift").vague
    for bad, kwargs, field in (("", {}, "text"), ("x" * 501, {}, "text"), ("mug", {"top": 0}, "top"),
                               ("mug", {"top": 21}, "top")):
        with pytest.raises(ValidationError) as err:
            service.classify(s, bad, **kwargs)
        assert err.value.field == field
    with pytest.raises(ValidationError) as err:
        service.search(s, "6109", version="2012")
    assert err.value.field == "version"


def _sku(uow, principal, code, name, **kw):
    return catalog.create_sku(uow.session, principal, {"sku": code, "name_en": name, **kw})


def test_bulk_classify_only_touches_the_organisations_skus(container, uow, principal, other_principal):
    _sync(container)
    a = _sku(uow, principal, "A-1", "Cotton T-shirt", material="cotton")
    b = _sku(uow, principal, "A-2", "Gift")
    c = _sku(uow, principal, "A-3", "Wool cardigan", hs_code="611011")
    theirs = _sku(uow, other_principal, "B-1", "Cotton T-shirt")
    uow.commit()
    preview = service.classify_skus(uow.session, principal)
    assert [p.sku for p in preview] == ["A-1", "A-2"]  # A-3 has a code; B-1 is another organisation's
    assert not any(p.applied for p in preview)
    assert uow.session.get(type(a), a.id).hs_code is None
    done = service.classify_skus(uow.session, principal, apply=True)
    uow.commit()
    by = {p.sku: p for p in done}
    assert by["A-1"].applied and by["A-1"].result.candidates[0].code == "610910"
    assert not by["A-2"].applied and by["A-2"].result.vague
    s = uow.session
    s.expire_all()
    assert s.get(type(a), a.id).hs_code == "610910" and s.get(type(a), a.id).hs_version == "2022"
    assert s.get(type(b), b.id).hs_code is None
    assert s.get(type(c), c.id).hs_code == "611011"
    assert s.get(type(theirs), theirs.id).hs_code is None


def test_per_sku_suggestion_and_setting_a_code(container, uow, principal, other_principal):
    _sync(container)
    sku = _sku(uow, principal, "E-1", "Bluetooth earphones", material="plastic")
    empty = _sku(uow, principal, "E-2", "", name_zh="样品")
    uow.commit()
    sug = service.suggest_for_sku(uow.session, principal, sku.id)
    assert sug.result.candidates[0].code == "851830" and "earphones" in sug.text
    assert service.suggest_for_sku(uow.session, principal, empty.id).to_dict()["vague"] is True
    with pytest.raises(NotFound):
        service.suggest_for_sku(uow.session, other_principal, sku.id)
    with pytest.raises(NotFound):
        service.set_sku_code(uow.session, other_principal, sku.id, "851830")
    with pytest.raises(ValidationError, match="not an HS subheading"):
        service.set_sku_code(uow.session, principal, sku.id, "851899")
    service.set_sku_code(uow.session, principal, sku.id, "8518.30")
    assert sku.hs_code == "851830"
    # a market's own code that would no longer extend the new HS code stops the change (named)
    sku.hs_code_us = "8518300000"
    with pytest.raises(ValidationError, match="hs_code_us 8518300000 would no longer extend 610910"):
        service.set_sku_code(uow.session, principal, sku.id, "610910")
    assert sku.hs_code == "851830"
    viewer = Principal(user_id=0, org_id=principal.org_id, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        service.set_sku_code(uow.session, viewer, sku.id, "851830")
    with pytest.raises(PermissionDenied):
        service.classify_skus(uow.session, viewer, apply=True)


def test_an_upgrade_of_the_artefact_format_relearns_and_an_old_artefact_is_explained(container, uow, monkeypatch):
    import dataclasses

    from xborder.hs import sync as hs_sync

    _sync(container, MINI, ["hs-2022", "hs-classifier"])
    # an artefact stored by an older version cannot be loaded: a clear error, not a crash
    model = uow.session.scalar(select(HsClassifierModel))
    import io
    import json

    import numpy as np

    with np.load(io.BytesIO(model.artefact), allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(bytes(arrays["meta"]).decode())
    arrays["meta"] = np.frombuffer(json.dumps(dict(meta, format=1)).encode(), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    model.artefact = buf.getvalue()
    model.artefact_bytes = len(model.artefact)
    uow.session.flush()
    with pytest.raises(ClassifierMissing, match="--only hs-classifier"):
        service.classifier(uow.session)
    uow.session.rollback()
    # the same files with a new revision of the source are learned again
    patched = [dataclasses.replace(x, revision="artefact-99") if x.name == "hs-classifier" else x
               for x in hs_sync.SOURCES]
    monkeypatch.setattr(hs_sync, "SOURCES", patched)
    out = _sync(container, MINI, ["hs-classifier"])
    assert out["hs-classifier"].status == "loaded"


def test_the_classifier_sync_reports_its_encoding_in_chunks(container, uow, monkeypatch):
    from xborder.hs import sync as hs_sync

    monkeypatch.setattr(hs_sync, "ENCODE_CHUNK", 8)
    seen: list[tuple[int, int]] = []
    out = {o.name: o for o in reference.sync(container.sessions, MINI, ["hs-2022", "hs-classifier"],
                                             lambda name, d, t: seen.append((d, t)) if name == "hs-classifier" else None)}
    assert out["hs-classifier"].status == "loaded"
    assert seen[:3] == [(0, 0), (1, 4), (2, 4)]  # started; the files read; the examples stored
    totals = {t for d, t in seen[3:]}
    assert len(totals) == 1, seen  # then one total for the rest: the bar never jumps back
    total = totals.pop()
    done = [d for d, t in seen]
    assert done == sorted(done) and done[-1] == total
    n_texts = uow.session.scalar(select(HsClassifierModel)).n_label  # a lower bound: the nomenclature texts too
    chunk_steps = [d for d in done if 2 < d < total - 1]
    assert len(chunk_steps) >= (n_texts + 7) // 8  # a report per chunk of 8 texts encoded
    # then the fit's own steps (the model, each out-of-fold fit, the re-ranker) and storing, one by one
    n_fit = classifier.fit_steps(classifier.Params(), n_texts)  # 1 here (too few labels for a re-ranker)
    assert done[-(n_fit + 1):] == list(range(total - n_fit, total + 1))


def test_the_reporting_encoder_chunks_its_first_call_only():
    import numpy as np

    from xborder.hs import sync as hs_sync

    class Inner:
        name = "inner"
        weights = {"w": np.zeros(1)}

        def __init__(self):
            self.calls = []

        def encode(self, texts):
            self.calls.append(len(texts))
            return np.full((len(texts), 2), float(len(texts)), dtype=np.float32)

    inner, reports = Inner(), []
    enc = hs_sync._ReportingEncoder(inner, reports.append)
    assert enc.name == "inner" and enc.weights is inner.weights
    n = hs_sync.ENCODE_CHUNK * 2 + 5
    out = enc.encode([f"t{i}" for i in range(n)])
    assert out.shape == (n, 2) and inner.calls == [hs_sync.ENCODE_CHUNK, hs_sync.ENCODE_CHUNK, 5]
    assert reports == [1, 2, 3]
    enc.encode(["a"] * n)  # later calls: straight through, no report
    assert inner.calls[-1] == n and reports == [1, 2, 3]
