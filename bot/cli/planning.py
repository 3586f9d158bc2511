"""The `schakel import-planning` command: print every row's verdict, import with --apply."""

from __future__ import annotations

from pathlib import Path

from bot.appointments import sheet_import as planning_import
from bot.appointments.sheet_import import SheetError, describe, read_sheet
from bot.core.clock import Clock, utc_now
from bot.core.config import Config
from bot.people.organisations import sync_organisations
from bot.storage.database import Store


async def import_planning(
    config: Config, path: Path, *, apply: bool = False, clock: Clock = utc_now
) -> int:
    async with Store.opened(config.storage.database) as store:
        await sync_organisations(store, config.organisations)
        try:
            sheet = await read_sheet(store, config, clock(), path)
        except SheetError as problem:
            print(f"schakel: {problem}; nothing saved")
            return 1
        for warning in sheet.warnings:
            print(f"warning: {warning}")
        for row in sheet.rows:
            print(describe(row, config.locale.tzinfo))
        ready, wrong = len(sheet.valid), len(sheet.rows) - len(sheet.valid)
        print(f"{ready} row(s) ready, {wrong} with a problem.")
        if not apply:
            print("Dry run: nothing saved. Run again with --apply to import the ready rows.")
            return 1 if wrong else 0
        imported = await planning_import.apply(store, clock, config, sheet.valid)
        print(
            f"Imported {imported.appointments} appointment(s) with {imported.reminders}"
            f" reminder(s); {imported.messages} newcomer(s) get a message when the bot runs."
        )
        return 1 if wrong else 0
