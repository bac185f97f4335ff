"""Account use cases. Each takes a SQLAlchemy session owned by a unit of work; none commits."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from xborder.accounts.model import (
    Role,
    validate_customs_code,
    validate_email,
    validate_password,
    validate_uscc,
)
from xborder.accounts.orm import ApiToken, LoginAttempt, Membership, Organisation, User, WebSession
from xborder.config import Settings
from xborder.db import utcnow
from xborder.errors import (
    AuthenticationError,
    Conflict,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
    ValidationError,
)
from xborder.money import check_currency

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who is acting, in which organisation, with which role."""

    user_id: int
    org_id: int
    role: Role
    email: str = ""
    name: str = ""

    def require(self, area: str) -> None:
        from xborder.accounts.model import can_write

        if not can_write(self.role, area):
            raise PermissionDenied(f"role {self.role.value} may not change {area}")


# --- organisations ---------------------------------------------------------------------


def create_org(
    s: Session,
    name: str,
    *,
    legal_name_zh: str = "",
    legal_name_en: str = "",
    uscc: str | None = None,
    base_currency: str = "CNY",
    customs_code: str | None = None,
    address_zh: str = "",
    address_en: str = "",
    enterprise_type: str = "trading",
) -> Organisation:
    name = (name or "").strip()
    if not name:
        raise ValidationError("name: required", field="name")
    if s.scalar(select(Organisation).where(Organisation.name == name)):
        raise Conflict(f"organisation {name!r} exists already", field="name")
    org = Organisation(
        name=name,
        legal_name_zh=legal_name_zh,
        legal_name_en=legal_name_en,
        uscc=validate_uscc(uscc),
        base_currency=check_currency(base_currency, "base_currency"),
        customs_code=validate_customs_code(customs_code),
        address_zh=address_zh,
        address_en=address_en,
        enterprise_type=_enterprise_type(enterprise_type),
    )
    s.add(org)
    s.flush()
    return org


def _enterprise_type(v: str) -> str:
    if v not in {"trading", "production"}:
        raise ValidationError("enterprise_type: trading or production", field="enterprise_type")
    return v


def update_org(s: Session, principal: Principal, **fields: str | None) -> Organisation:
    principal.require("org")
    org = s.get(Organisation, principal.org_id)
    if org is None:
        raise NotFound("organisation not found")
    validators = {
        "uscc": validate_uscc,
        "customs_code": validate_customs_code,
        "base_currency": lambda v: check_currency(v or "", "base_currency"),
        "enterprise_type": lambda v: _enterprise_type(v or ""),
    }
    for key, value in fields.items():
        if key not in {"legal_name_zh", "legal_name_en", "uscc", "base_currency", "customs_code",
                       "address_zh", "address_en", "enterprise_type"}:
            raise ValidationError(f"{key}: not an organisation setting", field=key)
        fn = validators.get(key)
        setattr(org, key, fn(value) if fn else (value or ""))
    s.flush()
    return org


def get_org(s: Session, org_id: int) -> Organisation:
    org = s.get(Organisation, org_id)
    if org is None:
        raise NotFound("organisation not found")
    return org


def find_org(s: Session, name: str) -> Organisation | None:
    return s.scalar(select(Organisation).where(Organisation.name == name))


def orgs_of(s: Session, user_id: int) -> list[tuple[Organisation, str]]:
    rows = s.execute(
        select(Organisation, Membership.role).join(Membership).where(Membership.user_id == user_id).order_by(Organisation.name)
    ).all()
    return [(o, r) for o, r in rows]


# --- users -----------------------------------------------------------------------------


def create_user(s: Session, email: str, password: str, *, name: str = "", language: str | None = None) -> User:
    email = validate_email(email)
    validate_password(password)
    if s.scalar(select(User).where(User.email == email)):
        raise Conflict(f"user {email} exists already", field="email")
    user = User(email=email, name=name, password_hash=hash_password(password), language=language)
    s.add(user)
    s.flush()
    return user


def get_user_by_email(s: Session, email: str) -> User | None:
    return s.scalar(select(User).where(User.email == (email or "").strip().lower()))


def add_member(s: Session, org: Organisation, user: User, role: Role | str) -> Membership:
    try:
        role = Role(role)
    except ValueError:
        raise ValidationError(f"role: one of {', '.join(r.value for r in Role)}", field="role") from None
    existing = s.scalar(select(Membership).where(Membership.org_id == org.id, Membership.user_id == user.id))
    if existing:
        existing.role = role.value
        return existing
    m = Membership(org_id=org.id, user_id=user.id, role=role.value)
    s.add(m)
    s.flush()
    return m


def members(s: Session, org_id: int) -> list[tuple[User, str]]:
    rows = s.execute(select(User, Membership.role).join(Membership).where(Membership.org_id == org_id).order_by(User.email)).all()
    return [(u, r) for u, r in rows]


def invite_user(s: Session, principal: Principal, email: str, password: str, role: str, name: str = "") -> User:
    """Owner adds a user (new or existing) to the organisation."""
    principal.require("users")
    user = get_user_by_email(s, email)
    if user is None:
        user = create_user(s, email, password, name=name)
    add_member(s, get_org(s, principal.org_id), user, role)
    return user


def remove_member(s: Session, principal: Principal, user_id: int) -> None:
    principal.require("users")
    if user_id == principal.user_id:
        raise ValidationError("you cannot remove yourself", field="user_id")
    m = s.scalar(select(Membership).where(Membership.org_id == principal.org_id, Membership.user_id == user_id))
    if m is None:
        raise NotFound("user not found in this organisation")
    s.delete(m)
    s.flush()


def principal_for(s: Session, user_id: int, org_id: int) -> Principal:
    row = s.execute(
        select(User, Membership.role).join(Membership).where(Membership.user_id == user_id, Membership.org_id == org_id)
    ).first()
    if row is None or not row[0].is_active:
        raise PermissionDenied("not a member of this organisation")
    user, role = row
    return Principal(user_id=user.id, org_id=org_id, role=Role(role), email=user.email, name=user.name)


def default_org_id(s: Session, user_id: int) -> int:
    org_id = s.scalar(select(Membership.org_id).where(Membership.user_id == user_id).order_by(Membership.id).limit(1))
    if org_id is None:
        raise PermissionDenied("this user belongs to no organisation")
    return org_id


# --- authentication with throttling ----------------------------------------------------


def authenticate(s: Session, settings: Settings, email: str, password: str, ip: str = "") -> User:
    """Check a password. After ``login_max_failures`` failures for the same email within the
    window, further attempts are refused (429) until the window has passed."""
    email_n = (email or "").strip().lower()
    since = utcnow() - timedelta(minutes=settings.login_window_minutes)
    failures = s.scalar(
        select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.email == email_n, LoginAttempt.success.is_(False), LoginAttempt.at >= since
        )
    ) or 0
    if failures >= settings.login_max_failures:
        raise TooManyAttempts(
            f"too many failed logins; try again in {settings.login_window_minutes} minutes"
        )
    user = get_user_by_email(s, email_n)
    ok = user is not None and user.is_active and verify_password(user.password_hash, password or "")
    s.add(LoginAttempt(email=email_n, ip=ip[:64], success=ok))
    s.flush()
    if not ok or user is None:
        raise AuthenticationError("wrong email or password")
    s.execute(delete(LoginAttempt).where(LoginAttempt.email == email_n, LoginAttempt.success.is_(False)))
    return user


def start_session(s: Session, settings: Settings, user: User, org_id: int | None = None) -> tuple[str, WebSession]:
    org_id = org_id or default_org_id(s, user.id)
    principal_for(s, user.id, org_id)
    token = secrets.token_urlsafe(32)
    ws = WebSession(
        token_hash=token_hash(token),
        user_id=user.id,
        org_id=org_id,
        csrf_token=secrets.token_urlsafe(24),
        expires_at=utcnow() + timedelta(days=settings.session_days),
    )
    s.add(ws)
    s.flush()
    return token, ws


def session_from_token(s: Session, token: str | None) -> WebSession | None:
    if not token:
        return None
    ws = s.scalar(select(WebSession).where(WebSession.token_hash == token_hash(token)))
    if ws is None or ws.expires_at < utcnow():
        return None
    return ws


def end_session(s: Session, token: str | None) -> None:
    if token:
        s.execute(delete(WebSession).where(WebSession.token_hash == token_hash(token)))


def switch_org(s: Session, ws: WebSession, org_id: int) -> None:
    principal_for(s, ws.user_id, org_id)
    ws.org_id = org_id
    s.flush()


# --- API tokens ------------------------------------------------------------------------


def issue_api_token(s: Session, user: User, org_id: int | None = None, name: str = "") -> str:
    org_id = org_id or default_org_id(s, user.id)
    principal_for(s, user.id, org_id)
    token = "xb_" + secrets.token_urlsafe(32)
    s.add(ApiToken(token_hash=token_hash(token), prefix=token[:10], name=name, user_id=user.id, org_id=org_id))
    s.flush()
    return token


def principal_from_api_token(s: Session, token: str) -> Principal:
    row = s.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(token), ApiToken.revoked.is_(False)))
    if row is None:
        raise AuthenticationError("invalid or revoked API token")
    now = utcnow()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        row.last_used_at = now  # recorded at most once a minute: no write on every request
    return principal_for(s, row.user_id, row.org_id)


def list_api_tokens(s: Session, principal: Principal) -> list[ApiToken]:
    return list(s.scalars(select(ApiToken).where(ApiToken.user_id == principal.user_id, ApiToken.org_id == principal.org_id,
                                                 ApiToken.revoked.is_(False)).order_by(ApiToken.id)))


def revoke_api_token(s: Session, principal: Principal, token_id: int) -> None:
    row = s.scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == principal.user_id,
                                          ApiToken.org_id == principal.org_id))
    if row is None:
        raise NotFound("token not found")
    row.revoked = True


# --- organisation chosen on the command line ---------------------------------------------


def resolve_cli_org(s: Session, name: str | None) -> Organisation:
    """``--org NAME`` picks the organisation; it is created on first use when the database has
    none of that name. Without ``--org``: the only organisation, else an error."""
    if name:
        org = find_org(s, name)
        return org or create_org(s, name)
    orgs = list(s.scalars(select(Organisation).order_by(Organisation.id)))
    if len(orgs) == 1:
        return orgs[0]
    if not orgs:
        return create_org(s, "Default")
    raise ValidationError("several organisations exist: choose one with --org NAME", field="org")
