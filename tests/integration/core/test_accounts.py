import pytest

from xborder.accounts import service as accounts
from xborder.accounts.model import Role
from xborder.errors import AuthenticationError, Conflict, PermissionDenied, TooManyAttempts, ValidationError


def test_uscc_is_validated(uow):
    with pytest.raises(ValidationError) as e:
        accounts.create_org(uow.session, "Bad", uscc="91440300MA5FXB7K3X")
    assert e.value.field == "uscc"
    org = accounts.create_org(uow.session, "Good", uscc="91440300MA5FXB7K3U")
    assert org.base_currency == "CNY"


def test_passwords_are_argon2_and_users_join_several_orgs(uow):
    u = accounts.create_user(uow.session, "Multi@Example.com", "long-password")
    assert u.email == "multi@example.com" and u.password_hash.startswith("$argon2")
    a = accounts.create_org(uow.session, "A")
    b = accounts.create_org(uow.session, "B")
    accounts.add_member(uow.session, a, u, Role.OWNER)
    accounts.add_member(uow.session, b, u, Role.VIEWER)
    assert {o.name: r for o, r in accounts.orgs_of(uow.session, u.id)} == {"A": "owner", "B": "viewer"}
    with pytest.raises(Conflict):
        accounts.create_user(uow.session, "multi@example.com", "long-password")


def test_the_application_hashes_passwords_at_argon2s_recommended_cost(uow, container, production_hasher, monkeypatch):
    """The rest of the suite hashes at argon2's cheapest cost (tests/conftest.py): here the real one."""
    from argon2 import PasswordHasher

    stock = PasswordHasher()  # argon2-cffi's defaults: RFC 9106's low-memory profile
    assert (production_hasher.time_cost, production_hasher.memory_cost, production_hasher.parallelism) == \
        (stock.time_cost, stock.memory_cost, stock.parallelism)
    assert stock.memory_cost >= 65536 and stock.time_cost >= 3
    monkeypatch.setattr(accounts, "_hasher", production_hasher)
    u = accounts.create_user(uow.session, "real@example.com", "long-password")
    assert u.password_hash.startswith(f"$argon2id$v=19$m={stock.memory_cost},t={stock.time_cost},p={stock.parallelism}$")
    assert accounts.authenticate(uow.session, container.settings, "real@example.com", "long-password").id == u.id
    with pytest.raises(AuthenticationError):
        accounts.authenticate(uow.session, container.settings, "real@example.com", "wrong-password")


def test_roles_limit_writes(uow, principal):
    viewer = accounts.Principal(principal.user_id, principal.org_id, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        accounts.update_org(uow.session, viewer, legal_name_en="X")
    finance = accounts.Principal(principal.user_id, principal.org_id, Role.FINANCE)
    with pytest.raises(PermissionDenied):
        finance.require("catalog")
    finance.require("finance")


def test_login_throttling(uow, settings, org_ids):
    for _ in range(settings.login_max_failures):
        with pytest.raises(AuthenticationError):
            accounts.authenticate(uow.session, settings, "owner@acme.test", "wrong")
    with pytest.raises(TooManyAttempts):
        accounts.authenticate(uow.session, settings, "owner@acme.test", "correct-horse-9")


def test_api_tokens_are_hashed_and_revocable(uow, org_ids):
    user = accounts.get_user_by_email(uow.session, "owner@acme.test")
    token = accounts.issue_api_token(uow.session, user)
    p = accounts.principal_from_api_token(uow.session, token)
    assert p.org_id == org_ids[0]
    stored = accounts.list_api_tokens(uow.session, p)[0]
    assert token not in (stored.token_hash, stored.prefix)
    accounts.revoke_api_token(uow.session, p, stored.id)
    with pytest.raises(AuthenticationError):
        accounts.principal_from_api_token(uow.session, token)
