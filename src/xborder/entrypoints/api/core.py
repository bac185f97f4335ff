"""Core API: tokens, the current user and organisation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from xborder.accounts import service as accounts
from xborder.accounts.service import Principal
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import api_principal, container, get_uow

router = APIRouter()


class TokenRequest(BaseModel):
    email: str = Field(..., examples=["demo@example.com"])
    password: str = Field(..., examples=["demo-password"])
    org: str | None = Field(None, description="organisation name (default: the user's first)")
    name: str = Field("", description="a label for this token")


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    org: str


@router.post("/auth/token", tags=["auth"], response_model=TokenResponse, responses={401: {"description": "wrong email or password"},
                                                                      429: {"description": "too many failed attempts"}})
def issue_token(body: TokenRequest, request: Request, uow: UnitOfWork = Depends(get_uow)) -> TokenResponse:
    settings = container(request).settings
    try:
        user = accounts.authenticate(uow.session, settings, body.email, body.password,
                                     request.client.host if request.client else "")
    finally:
        uow.commit()  # a failed attempt is recorded for throttling
    org_id = None
    if body.org:
        org = accounts.find_org(uow.session, body.org)
        org_id = org.id if org else -1
    token = accounts.issue_api_token(uow.session, user, org_id, name=body.name)
    principal = accounts.principal_from_api_token(uow.session, token)
    org_name = accounts.get_org(uow.session, principal.org_id).name
    uow.commit()
    return TokenResponse(access_token=token, org=org_name)


class OrgOut(BaseModel):
    id: int
    name: str
    legal_name_zh: str
    legal_name_en: str
    uscc: str | None
    base_currency: str
    customs_code: str | None
    enterprise_type: str


@router.get("/me", tags=["accounts"])
def me(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    orgs = accounts.orgs_of(uow.session, principal.user_id)
    return {"email": principal.email, "name": principal.name, "role": principal.role.value,
            "org": accounts.get_org(uow.session, principal.org_id).name,
            "orgs": [{"name": o.name, "role": r} for o, r in orgs]}


@router.get("/org", response_model=OrgOut, tags=["accounts"])
def get_org(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    return accounts.get_org(uow.session, principal.org_id)


class OrgPatch(BaseModel):
    legal_name_zh: str | None = None
    legal_name_en: str | None = None
    uscc: str | None = None
    base_currency: str | None = None
    customs_code: str | None = None
    address_zh: str | None = None
    address_en: str | None = None
    enterprise_type: str | None = None


@router.patch("/org", response_model=OrgOut, tags=["accounts"])
def patch_org(body: OrgPatch, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    org = accounts.update_org(uow.session, principal, **body.model_dump(exclude_unset=True))
    uow.commit()
    return org


@router.get("/users", tags=["accounts"])
def list_users(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> list[dict[str, Any]]:
    return [{"id": u.id, "email": u.email, "name": u.name, "role": r} for u, r in accounts.members(uow.session, principal.org_id)]
