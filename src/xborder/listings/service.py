"""Use cases of the listings package. Services never commit: the caller's unit of work does.

Reading is open to every member of the organisation; writing needs the ``catalog`` area
(owner, operator); provider settings need ``org`` (owner).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.errors import NotFound, ValidationError
from xborder.listings import compliance as comp
from xborder.listings import replies, seo
from xborder.listings.checker import CheckResult, Listing, check
from xborder.listings.drafts import Draft, make_draft
from xborder.listings.orm import (
    BuyerMessage,
    ComplianceStatus,
    KeywordSource,
    ListingCheck,
    ListingDraft,
    SkuComplianceProfile,
    TextgenSettings,
)
from xborder.listings.report import ReportRow, findings_text
from xborder.listings.rulebook import marketplace as get_marketplace
from xborder.listings.textgen import ProviderConfig

SKU_CODE_MAX = 64


def _sku(code: str) -> str:
    c = (code or "").strip()
    if not c or len(c) > SKU_CODE_MAX:
        raise ValidationError(f"sku: expected a SKU code of 1-{SKU_CODE_MAX} characters", field="sku")
    return c


# --- checks ---------------------------------------------------------------------------------

def check_listing(data: dict[str, Any], marketplace: str, on: date | None = None) -> CheckResult:
    return check(Listing.from_dict(data), get_marketplace(marketplace), on)


def record_check(s: Session, principal: Principal, sku_code: str, marketplace: str, listing: Listing,
                 result: CheckResult, source: str = "manual") -> ListingCheck:
    principal.require("catalog")
    sku_code = _sku(sku_code)
    row = s.scalar(select(ListingCheck).where(ListingCheck.org_id == principal.org_id, ListingCheck.sku_code == sku_code,
                                              ListingCheck.marketplace == result.marketplace))
    if row is None:
        row = ListingCheck(org_id=principal.org_id, sku_code=sku_code, marketplace=result.marketplace)
        s.add(row)
    row.title = listing.title
    row.source = source
    row.listing_json = json.dumps(listing.to_dict(), ensure_ascii=False)
    row.score, row.errors, row.warnings = result.score, result.errors, result.warnings
    row.findings_json = json.dumps([f.to_dict("en") | {"message_zh": f.message_zh} for f in result.findings], ensure_ascii=False)
    row.checked_on = result.checked_on
    s.flush()
    return row


SOURCE_PRIORITY = {"listing": 3, "draft": 2, "sku_name": 1}


def catalog_listings(s: Session, principal: Principal) -> list[tuple[str, str | None, dict[str, Any], str]]:
    """(sku_code, marketplace or None, listing dict, source) for the catalog: live listing titles
    (bound to their channel), the latest saved draft per SKU x marketplace, and each SKU's English
    name (any marketplace). Uses the catalog package when installed (guarded)."""
    from xborder.listings import catalog_bridge

    out: list[tuple[str, str | None, dict[str, Any], str]] = []
    for code, bound, data in catalog_bridge.listings(s, principal):
        out.append((code, bound, data, "listing" if bound else "sku_name"))
    seen: set[tuple[str, str]] = set()
    for d in s.scalars(select(ListingDraft).where(ListingDraft.org_id == principal.org_id).order_by(ListingDraft.id.desc())):
        if (d.sku_code, d.marketplace) in seen:
            continue
        seen.add((d.sku_code, d.marketplace))
        out.append((d.sku_code, d.marketplace, draft_listing_dict(d), "draft"))
    return out


def check_catalog(s: Session, principal: Principal, marketplaces: list[str], on: date | None = None,
                  record: bool = True) -> list[ReportRow]:
    """Check the catalog on the given marketplaces: per SKU x marketplace the most relevant text
    is checked — the live listing title on that channel, else the latest draft for it, else the
    SKU's English name. The latest result per SKU x marketplace is stored when ``record``."""
    mps = [get_marketplace(m) for m in marketplaces]
    on = on or date.today()
    best: dict[tuple[str, str], tuple[int, dict[str, Any], str]] = {}
    for sku_code, bound, data, source in catalog_listings(s, principal):
        bound_id = get_marketplace(bound).id if bound else None
        for mp in mps:
            if bound_id and bound_id != mp.id:
                continue
            key = (sku_code, mp.id)
            prio = SOURCE_PRIORITY[source]
            if key not in best or prio > best[key][0]:
                best[key] = (prio, data, source)
    rows: list[ReportRow] = []
    by_id = {m.id: m for m in mps}
    for (sku_code, mid), (_prio, data, source) in best.items():
        listing = Listing.from_dict(data)
        res = check(listing, by_id[mid], on)
        if record:
            record_check(s, principal, sku_code, mid, listing, res, source)
        rows.append(ReportRow(sku_code, listing.title, mid, res.score, res.errors, res.warnings, findings_text(res), on, source))
    rows.sort(key=lambda r: (r.score, r.sku, r.marketplace))
    return rows


def report_rows(s: Session, principal: Principal, lang: str = "en") -> list[ReportRow]:
    """The stored latest checks as report rows (worst first)."""
    out = []
    for c in latest_checks(s, principal):
        fs = json.loads(c.findings_json)
        key = "message_zh" if lang.startswith("zh") else "message"
        text = " | ".join(f"[{f['severity']}] {f['rule']}: {f.get(key) or f['message']}" for f in fs[:5])
        if len(fs) > 5:
            text += f" | (+{len(fs) - 5})"
        out.append(ReportRow(c.sku_code, c.title, c.marketplace, c.score, c.errors, c.warnings, text, c.checked_on, c.source))
    return out


def latest_checks(s: Session, principal: Principal) -> list[ListingCheck]:
    return list(s.scalars(select(ListingCheck).where(ListingCheck.org_id == principal.org_id)
                          .order_by(ListingCheck.score, ListingCheck.sku_code, ListingCheck.marketplace)))


# --- drafts ---------------------------------------------------------------------------------

def draft_listing_dict(d: ListingDraft) -> dict[str, Any]:
    return {"title": d.title, "bullets": json.loads(d.bullets_json), "description": d.description,
            "brand": d.brand, "search_terms": d.search_terms}


def sku_attributes(s: Session, principal: Principal, sku_code: str) -> dict[str, Any]:
    """Attributes of a catalog SKU for drafting (empty when the catalog does not know it)."""
    from xborder.listings import catalog_bridge

    return catalog_bridge.attributes(s, principal, sku_code)


def save_draft(s: Session, principal: Principal, sku_code: str, draft: Draft, result: CheckResult) -> ListingDraft:
    principal.require("catalog")
    row = ListingDraft(org_id=principal.org_id, sku_code=_sku(sku_code), marketplace=draft.marketplace, source=draft.source,
                       title=draft.title, bullets_json=json.dumps(list(draft.bullets), ensure_ascii=False),
                       description=draft.description, search_terms=draft.search_terms, brand=draft.brand,
                       notes_json=json.dumps(list(draft.notes), ensure_ascii=False), score=result.score, errors=result.errors)
    s.add(row)
    s.flush()
    return row


def create_draft(s: Session, principal: Principal, sku_code: str, marketplace: str, attrs: dict[str, Any] | None = None,
                 save: bool = True, on: date | None = None) -> tuple[Draft, CheckResult, ListingDraft | None]:
    merged = {**sku_attributes(s, principal, sku_code), **(attrs or {})} if sku_code else dict(attrs or {})
    draft, result = make_draft(merged, get_marketplace(marketplace), on)
    row = save_draft(s, principal, sku_code, draft, result) if (save and sku_code) else None
    return draft, result, row


def get_draft(s: Session, principal: Principal, draft_id: int) -> ListingDraft:
    d = s.get(ListingDraft, draft_id)
    if d is None or d.org_id != principal.org_id:
        raise NotFound(f"draft {draft_id} not found", field="draft_id")
    return d


def drafts(s: Session, principal: Principal, sku_code: str | None = None) -> list[ListingDraft]:
    q = select(ListingDraft).where(ListingDraft.org_id == principal.org_id)
    if sku_code:
        q = q.where(ListingDraft.sku_code == sku_code)
    return list(s.scalars(q.order_by(ListingDraft.id.desc())))


# --- text provider ----------------------------------------------------------------------------

def provider_config(s: Session, principal: Principal) -> ProviderConfig:
    row = s.scalar(select(TextgenSettings).where(TextgenSettings.org_id == principal.org_id))
    if row is None:
        return ProviderConfig()
    return ProviderConfig(base_url=row.base_url, model=row.model, api_key=row.api_key, enabled=row.enabled)


def set_provider(s: Session, principal: Principal, *, base_url: str, model: str, api_key: str | None = None,
                 enabled: bool = True) -> ProviderConfig:
    principal.require("org")
    cfg = ProviderConfig(base_url=base_url.strip(), model=model.strip(), api_key=(api_key or "").strip(), enabled=enabled)
    if enabled:
        cfg.validate()
    row = s.scalar(select(TextgenSettings).where(TextgenSettings.org_id == principal.org_id))
    if row is None:
        row = TextgenSettings(org_id=principal.org_id)
        s.add(row)
    row.base_url, row.model, row.enabled = cfg.base_url, cfg.model, cfg.enabled
    if api_key is not None:  # None keeps the stored key
        row.api_key = cfg.api_key
    s.flush()
    return provider_config(s, principal)


def rewrite_draft(s: Session, principal: Principal, draft_id: int, instruction: str, language: str,
                  on: date | None = None) -> tuple[Draft, CheckResult, ListingDraft]:
    from xborder.listings.textgen import rewrite

    principal.require("catalog")
    row = get_draft(s, principal, draft_id)
    mp = get_marketplace(row.marketplace)
    base = Draft(marketplace=mp.id, category="", title=row.title, bullets=tuple(json.loads(row.bullets_json)),
                 description=row.description, search_terms=row.search_terms, brand=row.brand,
                 notes=tuple(json.loads(row.notes_json)))
    new, result = rewrite(provider_config(s, principal), base, instruction, language or mp.language, mp, on)
    return new, result, save_draft(s, principal, row.sku_code, new, result)


# --- SEO keywords -----------------------------------------------------------------------------

def _text_hash(kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\x00{' '.join(text.split()).lower()}".encode()).hexdigest()


def store_keyword_sources(s: Session, principal: Principal, set_name: str, sources: list[seo.Source], batch_sha: str = "") -> tuple[int, int]:
    """Upsert by (set, kind, normalised text); returns (imported, skipped duplicates)."""
    principal.require("catalog")
    name = (set_name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError("set: give a keyword set name of 1-100 characters", field="set")
    existing = {k.text_hash: k for k in s.scalars(select(KeywordSource).where(KeywordSource.org_id == principal.org_id,
                                                                              KeywordSource.set_name == name))}
    imported = skipped = 0
    for src in sources:
        h = _text_hash(src.kind, src.text)
        row = existing.get(h)
        if row is not None:
            if row.demand == src.demand:
                skipped += 1
                continue
            row.demand = src.demand
            imported += 1
            continue
        row = KeywordSource(org_id=principal.org_id, set_name=name, kind=src.kind, text=src.text, text_hash=h,
                            demand=src.demand, batch_sha256=batch_sha)
        s.add(row)
        existing[h] = row
        imported += 1
    s.flush()
    return imported, skipped


def keyword_sets(s: Session, principal: Principal) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for k in s.scalars(select(KeywordSource).where(KeywordSource.org_id == principal.org_id)):
        d = out.setdefault(k.set_name, {"set": k.set_name, "titles": 0, "search_terms": 0})
        d["titles" if k.kind == "title" else "search_terms"] += 1
    return sorted(out.values(), key=lambda d: d["set"])


def keyword_sources(s: Session, principal: Principal, set_name: str) -> list[seo.Source]:
    """A stored set, or research imported by the selection package (``selection:<name>``)."""
    if set_name.startswith("selection:"):
        return selection_sources(s, principal, set_name.split(":", 1)[1])
    rows = list(s.scalars(select(KeywordSource).where(KeywordSource.org_id == principal.org_id, KeywordSource.set_name == set_name)))
    if not rows:
        raise NotFound(f"keyword set {set_name!r} not found; import a CSV of competitor titles / search terms first", field="set")
    return [seo.Source(text=r.text, demand=r.demand, kind=r.kind) for r in rows]


def selection_sources(s: Session, principal: Principal, name: str) -> list[seo.Source]:
    """Research imports from :mod:`xborder.selection`, when that package offers them.

    Guarded: the selection package is built in parallel. It is used when it provides
    ``xborder.selection.service.keyword_research(session, principal, name)`` returning items with
    ``text``, ``kind`` ("title"|"search_term") and ``demand`` (Decimal); otherwise a clear error
    tells the user to import a CSV instead."""
    from xborder.bootstrap import optional_module

    mod = optional_module("selection", "service")
    fn = getattr(mod, "keyword_research", None) if mod else None
    if fn is None:
        raise NotFound("selection research imports are not available; import a CSV of titles/search terms instead", field="set")
    out = []
    for item in fn(s, principal, name):
        get = item.get if isinstance(item, dict) else (lambda k, d=None, _i=item: getattr(_i, k, d))
        out.append(seo.Source(text=str(get("text")), demand=Decimal(str(get("demand") or 0)), kind=str(get("kind") or "title")))
    return out


_CLEAN_KINDS = ("phrases", "chars", "regex")


def clean_title(title: str, result: CheckResult) -> str:
    """The title without what the checker flagged as errors (banned phrases and characters,
    links), ALL-CAPS words in title case; the basis of a proposed title."""
    import re as _re

    from xborder.listings.rulebook import marketplace as _mp

    mp = _mp(result.marketplace)
    kinds = {r.id: r.kind for r in mp.rules}
    out = title
    for f in result.findings:
        if f.field != "title" or f.severity != "error" or not f.match:
            continue
        kind = kinds.get(f.rule)
        if kind in _CLEAN_KINDS:
            out = _re.sub(_re.escape(f.match), " ", out, flags=_re.IGNORECASE)
        elif kind == "all_caps":
            for w in f.match.split(", "):
                out = _re.sub(rf"\b{_re.escape(w)}\b", w.capitalize(), out)
    out = _re.sub(r"\s+([,;])", r"\1", _re.sub(r"\s{2,}", " ", out)).strip(" ,;-")
    return out


def keyword_report(sources: list[seo.Source], listing: dict[str, Any], marketplace: str, limit: int = 30) -> dict[str, Any]:
    """Keywords (relevant to this listing), coverage, and a proposed title/bullets/search terms
    within the marketplace's limits; the proposal is checked too."""
    from xborder.listings.drafts import _limit

    mp = get_marketplace(marketplace)
    lst = Listing.from_dict(listing)
    exclude = {w.lower() for w in seo.tokens(lst.brand)}
    for r in mp.rules:
        if r.kind == "trademarks":
            exclude |= {w for m in r.params.get("marks", []) for w in seo.tokens(m)}
    kws = seo.extract_keywords(sources, exclude=exclude, limit=limit * 3)
    kws = seo.relevant(kws, sources, " ".join([lst.title, *lst.bullets]), exclude)[:limit]
    cov = seo.coverage(lst.to_dict(), kws)
    max_title = _limit(mp, "title.max_length", 200) or 200
    base_title = clean_title(lst.title, check(lst, mp)) if lst.title else ""
    title = seo.propose_title(lst.brand, base_title, kws, max_title)
    bullets = seo.propose_bullets(list(lst.bullets), kws, title, _limit(mp, "bullets.max_length", 255) or 255,
                                  _limit(mp, "bullets.max_count", 5) or 5)
    text = " ".join([title, *bullets, lst.description])
    terms = seo.propose_search_terms(kws, text, _limit(mp, "search_terms.max_bytes", 249) or 249)
    proposal = {"title": title, "bullets": bullets, "description": lst.description, "brand": lst.brand, "search_terms": terms}
    res = check(Listing.from_dict(proposal), mp)
    return {"keywords": [k.to_dict() for k in kws], "coverage": cov.to_dict(), "proposal": proposal,
            "proposal_check": res.to_dict()}


# --- buyer messages -------------------------------------------------------------------------

def store_messages(s: Session, principal: Principal, records: list[dict[str, Any]], seller_name: str,
                   batch_sha: str = "") -> tuple[int, int]:
    """Insert new messages with their suggested replies; a message already stored is skipped."""
    principal.require("operations")
    imported = skipped = 0
    for rec in records:
        mp = rec.get("marketplace") or ""
        exists = s.scalar(select(BuyerMessage.id).where(BuyerMessage.org_id == principal.org_id, BuyerMessage.marketplace == mp,
                                                       BuyerMessage.message_id == rec["message_id"]))
        if exists:
            skipped += 1
            continue
        order = order_context(s, principal, rec.get("order_id") or "")
        sug = replies.suggest(rec, seller_name=seller_name, order=order)
        s.add(BuyerMessage(org_id=principal.org_id, marketplace=mp, message_id=rec["message_id"], order_id=rec.get("order_id") or "",
                           buyer_name=rec["buyer_name"], buyer_country=rec.get("buyer_country") or "", language=sug.language,
                           incoterm=rec.get("incoterm") or "", subject=rec.get("subject") or "", body=rec["body"],
                           received_at=rec.get("received_at"), intent=sug.intent, situation=sug.situation,
                           reply_subject=sug.subject, reply_body=sug.body, missing=",".join(sug.missing), batch_sha256=batch_sha))
        imported += 1
    s.flush()
    return imported, skipped


def buyer_messages(s: Session, principal: Principal) -> list[BuyerMessage]:
    return list(s.scalars(select(BuyerMessage).where(BuyerMessage.org_id == principal.org_id)
                          .order_by(BuyerMessage.received_at.desc(), BuyerMessage.id.desc())))


def order_context(s: Session, principal: Principal, order_id: str) -> dict[str, Any]:
    """Order fields for message templates from the sales package, when installed (guarded)."""
    if not order_id:
        return {}
    from xborder.bootstrap import optional_module

    mod = optional_module("sales", "service")
    fn = getattr(mod, "message_context", None) if mod else None
    if fn is None:
        return {}
    try:
        ctx = fn(s, principal, order_id)
    except Exception:  # an unknown order simply gives no extra context
        return {}
    return dict(ctx or {})


# --- compliance -----------------------------------------------------------------------------

def sku_profile(s: Session, principal: Principal, sku_code: str) -> comp.SkuProfile:
    """The stored compliance profile, else one derived from the catalog SKU (category, battery flags)."""
    row = s.scalar(select(SkuComplianceProfile).where(SkuComplianceProfile.org_id == principal.org_id,
                                                      SkuComplianceProfile.sku_code == sku_code))
    from xborder.listings import catalog_bridge

    derived = catalog_bridge.compliance_flags(s, principal, sku_code)
    if row is None:
        return comp.SkuProfile(category=derived.get("category", "generic"), flags=frozenset(derived.get("flags", ())))
    flags = {f for f in row.flags.split(",") if f} | set(derived.get("flags", ()))
    return comp.SkuProfile(category=row.category or "generic", flags=frozenset(flags),
                           flags_off=frozenset(f for f in row.flags_off.split(",") if f))


def set_sku_profile(s: Session, principal: Principal, sku_code: str, category: str, flags: list[str],
                    flags_off: list[str] | None = None) -> SkuComplianceProfile:
    principal.require("catalog")
    rb = comp.rulebook()
    if category not in rb.category_flags:
        raise ValidationError(f"category: unknown compliance category {category!r}; known: {', '.join(sorted(rb.category_flags))}",
                              field="category")
    for f in [*flags, *(flags_off or [])]:
        if f not in rb.flags:
            raise ValidationError(f"flags: unknown flag {f!r}; known: {', '.join(sorted(rb.flags))}", field="flags")
    code = _sku(sku_code)
    row = s.scalar(select(SkuComplianceProfile).where(SkuComplianceProfile.org_id == principal.org_id,
                                                      SkuComplianceProfile.sku_code == code))
    if row is None:
        row = SkuComplianceProfile(org_id=principal.org_id, sku_code=code)
        s.add(row)
    row.category, row.flags, row.flags_off = category, ",".join(sorted(set(flags))), ",".join(sorted(set(flags_off or [])))
    s.flush()
    return row


def set_status(s: Session, principal: Principal, sku_code: str, requirement_id: str, status: str, reference: str = "",
               expires_on: date | None = None, note: str = "") -> ComplianceStatus:
    principal.require("catalog")
    if requirement_id not in {r.id for r in comp.rulebook().requirements}:
        raise ValidationError(f"requirement: unknown requirement {requirement_id!r}", field="requirement")
    if status not in (*comp.STATUSES, "missing"):
        raise ValidationError(f"status: expected one of {', '.join(comp.STATUSES)} or missing", field="status")
    if status == "not_applicable" and not note.strip():
        raise ValidationError("note: say why the requirement does not apply", field="note")
    code = _sku(sku_code)
    row = s.scalar(select(ComplianceStatus).where(ComplianceStatus.org_id == principal.org_id, ComplianceStatus.sku_code == code,
                                                  ComplianceStatus.requirement_id == requirement_id))
    if status == "missing":
        if row is not None:
            s.delete(row)
            s.flush()
        return row  # type: ignore[return-value]
    if row is None:
        row = ComplianceStatus(org_id=principal.org_id, sku_code=code, requirement_id=requirement_id)
        s.add(row)
    row.status, row.reference, row.expires_on, row.note, row.updated_by = status, reference.strip(), expires_on, note.strip(), principal.user_id
    s.flush()
    return row


def status_records(s: Session, principal: Principal, sku_code: str) -> dict[str, comp.StatusRecord]:
    rows = s.scalars(select(ComplianceStatus).where(ComplianceStatus.org_id == principal.org_id, ComplianceStatus.sku_code == sku_code))
    return {r.requirement_id: comp.StatusRecord(r.requirement_id, r.status, r.reference, r.expires_on, r.note) for r in rows}


def sku_checklist(s: Session, principal: Principal, sku_code: str, market: str, on: date | None = None,
                  lang: str = "en") -> dict[str, Any]:
    on = on or date.today()
    m = comp.market_for(market)
    profile = sku_profile(s, principal, sku_code)
    items = comp.checklist(profile, m, on, status_records(s, principal, sku_code))
    return {"sku": sku_code, "market": m, "on": on.isoformat(), "category": profile.category,
            "flags": sorted(profile.effective_flags()), "items": [i.to_dict(lang) for i in items], "summary": comp.summary(items)}


def compliance_overview(s: Session, principal: Principal, sku_codes: list[str], markets: list[str], on: date | None = None) -> list[dict[str, Any]]:
    out = []
    for code in sku_codes:
        for m in markets:
            c = sku_checklist(s, principal, code, m, on)
            out.append({"sku": code, "market": c["market"], **c["summary"]})
    return out
