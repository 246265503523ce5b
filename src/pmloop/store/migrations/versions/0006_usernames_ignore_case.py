"""Usernames are unique whatever their case: a unique index on lower(username).

Accounts whose names already differ only in case are all kept: the oldest keeps its name, each
later one becomes ``<name>-<id>`` (same password, same sessions), and a line on stderr names
each change so the people concerned can be told.
"""

import sys

import sqlalchemy as sa
from alembic import op

revision = "0006_usernames_ignore_case"
down_revision = "0005_sign_in_limits"


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, username, lower(username) FROM users ORDER BY id"))
    owners: dict[str, tuple[int, str]] = {}
    renames: list[tuple[int, str, str, tuple[int, str]]] = []
    for user_id, name, folded in rows.all():
        if folded not in owners:
            owners[folded] = (user_id, name)
        else:
            renames.append((user_id, name, folded, owners[folded]))
    for user_id, name, _folded, keeper in renames:
        suffix = f"-{user_id}"
        new = name[: 64 - len(suffix)] + suffix
        while bind.execute(sa.text("SELECT lower(:n)"), {"n": new}).scalar() in owners:
            suffix += "x"
            new = name[: 64 - len(suffix)] + suffix
        owners[bind.execute(sa.text("SELECT lower(:n)"), {"n": new}).scalar()] = (user_id, new)
        bind.execute(
            sa.text("UPDATE users SET username = :new WHERE id = :id"), {"new": new, "id": user_id}
        )
        sys.stderr.write(
            f"pmloop: usernames now ignore case, and '{name}' (account {user_id}) had the same "
            f"name as '{keeper[1]}' (account {keeper[0]}): it is now '{new}', with the same "
            "password and sessions. Tell its owner.\n"
        )
    op.create_index("uq_users_username_lower", "users", [sa.text("lower(username)")], unique=True)


def downgrade() -> None:
    op.drop_index("uq_users_username_lower", "users")
