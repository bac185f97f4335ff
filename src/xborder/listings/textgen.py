"""Optional text-generation provider: any OpenAI-compatible ``/chat/completions`` endpoint.

Off by default. When the user configures a base URL (e.g. ``http://127.0.0.1:11434/v1`` for a
local server, or a hosted API), a model and optionally a key, a draft can be rewritten or
translated. The provider's answer is only text: it becomes a new :class:`Draft` that goes
through the same marketplace checker as any draft, so a provider cannot publish a title that
breaks the rules without the user seeing the findings.

Split in the karrio style: :func:`build_request` and :func:`parse_response` are pure;
:func:`rewrite` is the thin client doing the HTTP call (httpx, with a timeout).

>>> req = build_request(ProviderConfig(base_url="http://127.0.0.1:9/v1", model="m"),
...                     {"title": "Acme Case"}, "translate", "de", "Amazon.de", {"title_max": 200})
>>> req["url"], req["json"]["model"]
('http://127.0.0.1:9/v1/chat/completions', 'm')
>>> parse_response({"choices": [{"message": {"content": '```json\\n{"title": "Acme Hülle", "bullets": ["a"]}\\n```'}}]})["title"]
'Acme Hülle'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any

from xborder.errors import ValidationError
from xborder.listings.errors import ProviderDisabled, ProviderError

LANG_NAMES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "ja": "Japanese"}


@dataclass(frozen=True)
class ProviderConfig:
    base_url: str = ""
    model: str = ""
    api_key: str = ""
    enabled: bool = False
    timeout_s: float = 60.0

    def validate(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise ValidationError("base_url: must start with http:// or https://", field="base_url")
        if not self.model.strip():
            raise ValidationError("model: give the model name the endpoint serves", field="model")

    def masked(self) -> dict[str, Any]:
        key = self.api_key
        return {"base_url": self.base_url, "model": self.model, "enabled": self.enabled,
                "api_key": (key[:3] + "…" + key[-2:]) if len(key) > 6 else ("set" if key else "")}


SYSTEM_PROMPT = (
    "You write product listings for an online marketplace. Return ONLY a JSON object with keys "
    "title (string), bullets (list of strings), description (string), search_terms (string). "
    "Keep facts exactly as given (materials, sizes, quantities, compatibility); never add claims "
    "(no medical, antibacterial, 'FDA approved', 'best seller', 'free shipping', other brands). "
    "Limits: {limits}."
)


def build_request(cfg: ProviderConfig, draft: dict[str, Any], instruction: str, language: str,
                  marketplace_name: str, limits: dict[str, int]) -> dict[str, Any]:
    lim = ", ".join(f"{k} {v}" for k, v in limits.items())
    user = (f"Marketplace: {marketplace_name}. Target language: {LANG_NAMES.get(language, language)}. "
            f"Task: {instruction or 'rewrite for clarity'}.\nListing JSON:\n{json.dumps(draft, ensure_ascii=False)}")
    headers = {"Content-Type": "application/json"}
    if cfg.api_key:
        headers["Authorization"] = f"Bearer {cfg.api_key}"
    return {
        "url": cfg.base_url.rstrip("/") + "/chat/completions",
        "headers": headers,
        "json": {"model": cfg.model, "temperature": 0.2,
                 "messages": [{"role": "system", "content": SYSTEM_PROMPT.format(limits=lim)},
                              {"role": "user", "content": user}]},
    }


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)


def parse_response(payload: Any) -> dict[str, Any]:
    try:
        content = payload["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise ProviderError("provider: response has no choices[0].message.content") from None
    text = _FENCE.sub("", str(content)).strip()
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise ProviderError("provider: the answer is not a JSON object")
    try:
        data = json.loads(text[start : end + 1])
    except json.JSONDecodeError as e:
        raise ProviderError(f"provider: invalid JSON in the answer ({e.msg})") from None
    out: dict[str, Any] = {}
    if isinstance(data.get("title"), str):
        out["title"] = data["title"].strip()
    if isinstance(data.get("bullets"), list):
        out["bullets"] = [str(b).strip() for b in data["bullets"] if str(b).strip()]
    if isinstance(data.get("description"), str):
        out["description"] = data["description"].strip()
    if isinstance(data.get("search_terms"), (str, list)):
        st = data["search_terms"]
        out["search_terms"] = " ".join(st) if isinstance(st, list) else st.strip()
    if "title" not in out:
        raise ProviderError("provider: the answer has no title")
    return out


def rewrite(cfg: ProviderConfig, draft, instruction: str, language: str, mp, on=None):
    """Send ``draft`` to the provider; return (new Draft, CheckResult) — the checker always runs."""
    import httpx

    from xborder.listings.checker import check
    from xborder.listings.drafts import _limit

    if not cfg.enabled:
        raise ProviderDisabled("text provider: not enabled; configure base URL and model and switch it on first")
    cfg.validate()
    limits = {"title_max_chars": _limit(mp, "title.max_length", 200) or 200,
              "bullet_max_chars": _limit(mp, "bullets.max_length", 255) or 255,
              "bullets_max": _limit(mp, "bullets.max_count", 5) or 5,
              "search_terms_max_bytes": _limit(mp, "search_terms.max_bytes", 249) or 249}
    req = build_request(cfg, draft.to_dict(), instruction, language, mp.name, limits)
    try:
        resp = httpx.post(req["url"], headers=req["headers"], json=req["json"], timeout=cfg.timeout_s)
    except httpx.HTTPError as e:
        raise ProviderError(f"provider: request to {cfg.base_url} failed: {type(e).__name__}") from None
    if resp.status_code >= 400:
        raise ProviderError(f"provider: HTTP {resp.status_code} from {cfg.base_url}")
    try:
        payload = resp.json()
    except ValueError:
        raise ProviderError("provider: response is not JSON") from None
    got = parse_response(payload)
    new = replace(draft, title=got["title"], bullets=tuple(got.get("bullets", draft.bullets)),
                  description=got.get("description", draft.description), search_terms=got.get("search_terms", draft.search_terms),
                  source="provider", notes=tuple(n for n in draft.notes if "is in English" not in n))
    return new, check(new.listing(), mp, on)
