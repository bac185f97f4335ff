"""Full sync of the real HS sources and the classify contract on them (slow: about 20–30 minutes on 2 cores;
the sync fine-tunes the sentence encoder, then encodes ~48,000 documents with it)."""

from __future__ import annotations

import pytest

from xborder.hs import service
from xborder.reference import service as reference

pytestmark = pytest.mark.slow


def test_sync_and_classify_on_the_shared_data(container, uow, shared_data):
    out = {o.name: o for o in reference.sync(container.sessions, shared_data, ["hs-2017", "hs-2022", "hs-classifier"])}
    assert {o.status for o in out.values()} == {"loaded"}, {n: o.message for n, o in out.items()}
    assert out["hs-2022"].rows == 6936 and out["hs-2017"].rows == 6705
    s = uow.session
    assert [h.code for h in service.search(s, "6109")] == ["6109", "610910", "610990"]
    r = service.classify(s, "cotton t-shirt", top=5)
    assert not r.vague and r.candidates[0].code == "610910" and r.heading.code == "6109"
    r = service.classify(s, "gift")
    assert r.vague and r.ask_for
    # typical seller texts whose heading the model finds in its top 3 (weak cases, e.g. "stainless steel
    # water bottle" -> 7323, are listed in docs/hs.md)
    for text, heading in (("wireless bluetooth earbuds", "8518"), ("ceramic coffee mug", "6912"),
                          ("leather wallet", "4202"), ("sunglasses", "9004"), ("LED desk lamp", "9405"),
                          ("hair dryer", "8516")):
        got = service.classify(s, text, top=3)
        assert heading in [c.code[:4] for c in got.candidates], (text, [c.code for c in got.candidates])
    again = reference.sync(container.sessions, shared_data, ["hs-2022", "hs-classifier"])
    assert {o.status for o in again} == {"unchanged"}
