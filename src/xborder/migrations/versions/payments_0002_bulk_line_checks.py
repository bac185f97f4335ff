"""Payments: payout-line references checked once per statement on PostgreSQL; no separate org_id index

Revision ID: payments_0002

Why (issue 5, measured 2026-11-24 on PostgreSQL 15): a foreign key is checked by a trigger *per
inserted row* (one SPI query that locks the referenced row), about 5 µs of server CPU per row and
per key: the two keys of ``payments_payout_lines`` cost ~10 s of the ~15 s the server spent on a
1,000,000-line settlement import. On PostgreSQL the two foreign keys are replaced by statement-level
triggers that enforce the same rules set-wise, over the statement's transition table:

* insert/update of lines: every distinct (payout_id, org_id) of the statement must be a payout *of
  the same organisation* (stronger than the two separate keys: a line cannot point at another
  organisation's payout), and that payout row is locked ``FOR KEY SHARE`` exactly as the foreign
  key check does, so a concurrent delete of the payout (or of its organisation, which cascades to
  payouts) waits for this transaction;
* delete of payouts cascades to their lines (``ON DELETE CASCADE`` of the former key; deleting an
  organisation cascades to its payouts and from there to the lines);
* changing a payout's id or organisation while lines point at it is refused (``NO ACTION``).

SQLite keeps its declared foreign keys (checked per row by an index probe, cheap there).
``ix_payments_payout_lines_org_id`` is dropped on both: ``uq_payments_payout_lines_org_id_line_key``
starts with org_id and serves every query by organisation.
"""
from alembic import op

revision = 'payments_0002'
down_revision = 'payments_0001'
branch_labels = None
depends_on = None

FUNCTIONS = """
CREATE FUNCTION payments_payout_lines_check_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT DISTINCT payout_id, org_id FROM new_rows LOOP
        PERFORM 1 FROM payments_payouts p WHERE p.id = r.payout_id AND p.org_id = r.org_id FOR KEY SHARE OF p;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'payments_payout_lines: payout % of organisation % does not exist', r.payout_id, r.org_id
                USING ERRCODE = 'foreign_key_violation', TABLE = 'payments_payout_lines';
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE TRIGGER payments_payout_lines_refs_ins AFTER INSERT ON payments_payout_lines
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION payments_payout_lines_check_refs();

CREATE TRIGGER payments_payout_lines_refs_upd AFTER UPDATE ON payments_payout_lines
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION payments_payout_lines_check_refs();

CREATE FUNCTION payments_payouts_delete_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM payments_payout_lines l USING old_rows o WHERE l.payout_id = o.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER payments_payouts_cascade_lines AFTER DELETE ON payments_payouts
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION payments_payouts_delete_lines();

CREATE FUNCTION payments_payouts_keep_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM payments_payout_lines WHERE payout_id = OLD.id) THEN
        RAISE EXCEPTION 'payments_payouts: payout % has lines; its id and organisation cannot change', OLD.id
            USING ERRCODE = 'foreign_key_violation', TABLE = 'payments_payouts';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER payments_payouts_keep_lines AFTER UPDATE OF id, org_id ON payments_payouts FOR EACH ROW
    WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.org_id IS DISTINCT FROM NEW.org_id)
    EXECUTE FUNCTION payments_payouts_keep_lines();
"""

DROP_FUNCTIONS = """
DROP TRIGGER IF EXISTS payments_payouts_keep_lines ON payments_payouts;
DROP TRIGGER IF EXISTS payments_payouts_cascade_lines ON payments_payouts;
DROP TRIGGER IF EXISTS payments_payout_lines_refs_upd ON payments_payout_lines;
DROP TRIGGER IF EXISTS payments_payout_lines_refs_ins ON payments_payout_lines;
DROP FUNCTION IF EXISTS payments_payouts_keep_lines();
DROP FUNCTION IF EXISTS payments_payouts_delete_lines();
DROP FUNCTION IF EXISTS payments_payout_lines_check_refs();
"""


def upgrade() -> None:
    op.drop_index('ix_payments_payout_lines_org_id', table_name='payments_payout_lines')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint('fk_payments_payout_lines_org_id_organisations', 'payments_payout_lines', type_='foreignkey')
        op.drop_constraint('fk_payments_payout_lines_payout_id_payments_payouts', 'payments_payout_lines',
                           type_='foreignkey')
        for statement in FUNCTIONS.split(";\n\n"):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for statement in DROP_FUNCTIONS.strip().splitlines():
            op.execute(statement)
        op.create_foreign_key('fk_payments_payout_lines_payout_id_payments_payouts', 'payments_payout_lines',
                              'payments_payouts', ['payout_id'], ['id'], ondelete='CASCADE')
        op.create_foreign_key('fk_payments_payout_lines_org_id_organisations', 'payments_payout_lines',
                              'organisations', ['org_id'], ['id'], ondelete='CASCADE')
    op.create_index('ix_payments_payout_lines_org_id', 'payments_payout_lines', ['org_id'], unique=False)
