"""What the command line does to the database: add an admin, back up, restore, purge."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from bot.core import audit
from bot.core.clock import Clock, utc_now
from bot.core.config import Config, ConfigError
from bot.people.organisations import find_organisation, organisation_names, sync_organisations
from bot.people.staff import Role, add_staff
from bot.privacy import data_rights, retention
from bot.storage import forget_journal, lock
from bot.storage.backups import restore
from bot.storage.database import Store, backup, connect
from bot.storage.schema import Refused, check_database


async def add_admin(config: Config, telegram_user_id: int, name: str, org: str | None) -> int:
    if telegram_user_id <= 0:
        raise ConfigError("TELEGRAM_USER_ID must be a positive number (a person, not a group)")
    if not name.strip():
        raise ConfigError("--name must not be empty")
    async with Store.opened(config.storage.database) as store:
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
    print(f"admin {name.strip()} (Telegram id {telegram_user_id}) is staff #{staff_id}")
    return 0


async def backup_database(config: Config, target: Path, clock: Clock = utc_now) -> int:
    """Copy the live database (the bot may run), check the copy, audit that it was made."""
    source = config.storage.database
    if not source.exists():
        print(f"schakel: no database at {source}", file=sys.stderr)
        return 1
    # Not Store.open: a backup migrates nothing; the only write is the audit entry. What
    # is not a Schakel database this Schakel knows is refused before it is opened (and
    # before a copy is made): connect() would switch it to WAL, a change to the file.
    try:
        check_database(source, thorough=False)
    except Refused as refused:
        print(f"schakel: {refused}", file=sys.stderr)
        return 1
    store = Store(await connect(source), source)
    try:
        await backup(store.db, target)
        facts = check_database(target)
        async with store.transaction() as db:
            await audit.record(db, clock, "cli", "database.backup", None, str(target.resolve()))
    except (ValueError, Refused) as refused:
        print(f"schakel: {refused}", file=sys.stderr)
        return 1
    finally:
        await store.close()
    print(f"backup of {source} written to {target}: {facts.describe()}")
    return 0


async def restore_database(
    config: Config, backup_file: Path, *, force: bool, clock: Clock = utc_now
) -> int:
    """Put a checked backup in place of the configured database (docs/operations.md), and
    erase again whoever the forget-me journal beside it says asked to be forgotten."""
    target = config.storage.database
    journal_path = forget_journal.beside(target)
    # Held until the restored database is migrated: a bot started meanwhile is refused,
    # and a running bot refuses this restore, naming its process. With neither a database
    # nor a lock file there, no Schakel has run on it (`run` makes the lock file first):
    # then no lock file is made before the backup is found sound.
    there = target.exists() or lock.lock_path(target).exists()
    held = lock.take(target, "restore") if there else contextlib.nullcontext()
    with held:
        try:
            # Read first: a journal that cannot be read stops the restore before it
            # touches anything, rather than leave people who asked to be forgotten.
            journal = forget_journal.read(journal_path)
            restored = restore(backup_file, target, force=force, now=clock())
        except (Refused, forget_journal.JournalUnreadable) as refused:
            print(f"schakel: {refused}", file=sys.stderr)
            return 1
        # A backup from an older Schakel is brought up to date now, not at the bot's start.
        async with Store.opened(target) as store:
            async with store.transaction() as db:
                kept = restored.replaced_kept_as
                detail = f"from {backup_file.resolve()}" + (
                    f"; replaced kept as {kept}" if kept else ""
                )
                await audit.record(db, clock, "cli", "database.restore", None, detail)
            again = None
            if journal is not None:
                again = await data_rights.forget_again(store, clock, journal, actor="cli")
    print(f"restored {backup_file} to {target}: {restored.facts.describe()}")
    if again is None:
        print(f"no forget-me journal at {journal_path}: nobody to forget again")
    else:
        print(again.describe(journal_path))
    if restored.replaced_kept_as is not None:
        print(f"the database it replaced is kept as {restored.replaced_kept_as}; delete it when")
        print("the restored one works (it holds personal data too)")
    return 0


async def purge_database(config: Config, *, dry_run: bool, clock: Clock = utc_now) -> int:
    """Remove (or with dry_run count) what is past its retention, kind by kind."""
    source = config.storage.database
    if not source.exists():
        print(f"schakel: no database at {source}", file=sys.stderr)
        return 1
    async with Store.opened(source) as store:
        report = await retention.purge(store, clock, config.retention, actor="cli", dry_run=dry_run)
    for line in report.lines():
        print(line)
    if dry_run:
        print("dry run: nothing was removed")
    for failed in report.failed:
        print(f"schakel: purge of {retention.KIND_NAMES[failed.kind]} failed: {failed.problem}",
              file=sys.stderr)  # fmt: skip
    return 1 if report.failed else 0
