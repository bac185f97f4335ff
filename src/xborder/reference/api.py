"""Reference data under /api/v1/reference: what is loaded, and syncs started in the background."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from xborder.accounts.service import Principal
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import api_principal, container, get_uow
from xborder.reference import jobs, service

router = APIRouter(prefix="/reference", tags=["reference data"])


class SyncIn(BaseModel):
    origin: Literal["local", "download"] = Field(
        "local", description="local: the server's reference folder (XBORDER_SHARED_DATA, laid out as ../shared/data); "
                             "download: the official addresses")
    only: list[str] = Field(default_factory=list, description="source names (default: every source)")
    options: dict[str, str] = Field(default_factory=dict,
                                    description='e.g. {"hs_encoder": "none"}: the quick TF-IDF-only HS classifier '
                                                "(about a minute) instead of the full model (minilm-tuned, ~25 minutes)")


def load_dict(r: Any) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "origin": r.origin, "sha256": r.sha256, "version": r.version,
            "rows": r.rows, "effective_from": r.effective_from.isoformat() if r.effective_from else None,
            "effective_to": r.effective_to.isoformat() if r.effective_to else None,
            "loaded_at": r.loaded_at.isoformat() if getattr(r, "loaded_at", None) else None,
            "superseded": bool(r.superseded), "licence": r.licence}


@router.get("/sources")
def sources(request: Request, principal: Principal = Depends(api_principal),
            uow: UnitOfWork = Depends(get_uow)) -> Any:
    """The registered sources, each with its current load, and the server's local folder."""
    loads = service.history(uow.session)
    current = {r.name: r for r in reversed(loads) if not r.superseded}
    folder = jobs.runner(container(request)).local_folder
    return {"local_folder": str(folder) if folder else None,
            "sources": [{"name": s.name, "description": s.description, "local_path": s.local_path,
                         "downloadable": bool(s.url), "licence": s.licence,
                         "current": load_dict(current[s.name]) if s.name in current else None}
                        for s in service.all_sources()],
            "loads": [load_dict(r) for r in loads]}


@router.post("/sync", status_code=202)
def start_sync(body: SyncIn, request: Request, principal: Principal = Depends(api_principal)) -> Any:
    """Start a sync in the background (owners; one at a time): 202 with the sync's state.
    Follow it with ``GET /api/v1/reference/sync/{id}``."""
    principal.require("reference data")
    job = jobs.runner(container(request)).start(body.origin, body.only, principal.email, body.options)
    return JSONResponse(job.to_dict(), status_code=202, headers={"Location": f"/api/v1/reference/sync/{job.id}"})


@router.get("/sync")
def list_syncs(request: Request, principal: Principal = Depends(api_principal)) -> Any:
    """The syncs this server process ran or runs, newest first."""
    return {"syncs": [j.to_dict() for j in jobs.runner(container(request)).recent()]}


@router.get("/sync/{job_id}")
def get_sync(job_id: str, request: Request, principal: Principal = Depends(api_principal)) -> Any:
    """A sync's state: status (running, done, failed), percent, and each source's progress and outcome."""
    return jobs.runner(container(request)).get(job_id).to_dict()
