"""What the command line does to the database: add an admin, make a backup."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.clock import utc_now
from bot.config import Config, ConfigError
from bot.organisations import find_organisation, organisation_names, sync_organisations
from bot.staff import Role, add_staff
from bot.storage import Store, backup


async def add_admin(config: Config, telegram_user_id: int, name: str, org: str | None) -> int:
    if telegram_user_id <= 0:
        raise ConfigError("TELEGRAM_USER_ID must be a positive number (a person, not a group)")
    if not name.strip():
        raise ConfigError("--name must not be empty")
    store = await Store.open(config.storage.database)
    try:
        await sync_organisations(store, config.organisations)
        organisation = None
        if org is not None:
            organisation = await find_organisation(store, org)
            if organisation is None:
                known = ", ".join(await organisation_names(store)) or "none configured"
                raise ConfigError(f"--org {org!r} is not a configured organisation ({known})")
        staff_id = await add_staff(
            store,
            utc_now,
            telegram_user_id=telegram_user_id,
            name=name.strip(),
            role=Role.ADMIN,
            organisation=organisation,
            actor="cli",
        )
    finally:
        await store.close()
    print(f"admin {name.strip()} (Telegram id {telegram_user_id}) is staff #{staff_id}")
    return 0


async def backup_database(config: Config, target: Path) -> int:
    source = config.storage.database
    if not source.exists():
        print(f"schakel: no database at {source}", file=sys.stderr)
        return 1
    store = await Store.open(source)
    try:
        await backup(store.db, target)
    except ValueError as refused:
        print(f"schakel: {refused}", file=sys.stderr)
        return 1
    finally:
        await store.close()
    print(f"backup of {source} written to {target}")
    return 0
