"""The `schakel export` command: a period's figures and anonymous appointment rows as
XLSX and CSV files for the partners' reports."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.core.clock import Clock, utc_now
from bot.core.config import Config
from bot.figures.chart import write_charts
from bot.figures.export import export_name, export_tables, record_export, write_files
from bot.figures.queries import UnclearPeriod, gather, parse_day, period_between
from bot.figures.scope import UnknownOrganisation, scope_of
from bot.storage.database import Store
from messages.languages import SUPPORTED_LANGUAGES

PROBLEMS = {
    "unclear": "write a day as 1-10-2026 or 2026-10-01",
    "no_such_date": "that day does not exist",
    "reversed": "--from comes after --to",
}


async def export_figures(
    config: Config,
    first: str,
    last: str | None,
    folder: Path,
    language: str,
    *,
    chart_languages: str = "",
    organisation: str = "",
    clock: Clock = utc_now,
) -> int:
    """`chart_languages`: 'ar,ti' or 'all' to write the chart as PNG in those languages too;
    `organisation`: a short name, for only what belongs to it (bot/figures/scope.py)."""
    tz = config.locale.tzinfo
    today = clock().astimezone(tz).date()
    charts = (
        list(SUPPORTED_LANGUAGES)
        if chart_languages.strip() == "all"
        else [code.strip() for code in chart_languages.split(",") if code.strip()]
    )
    unknown = [code for code in [language, *charts] if code not in SUPPORTED_LANGUAGES]
    if unknown:
        print(f"schakel: unknown language {unknown[0]!r} ({', '.join(SUPPORTED_LANGUAGES)})")
        return 2
    try:
        period = period_between(parse_day(first, today), parse_day(last, today) if last else today)
    except UnclearPeriod as unclear:
        print(f"schakel: {PROBLEMS[unclear.problem.value]}; nothing written")
        return 2
    with_reference = config.export.include_references
    async with Store.opened(config.storage.database) as store:
        try:
            scope = await scope_of(store, organisation)
        except UnknownOrganisation as refused:
            known = ", ".join(refused.known)
            print(
                f"schakel: unknown organisation {refused.name!r} (known: {known}); nothing written"
            )
            return 2
        figures, appointments = await export_tables(
            store, period, tz, language, with_reference=with_reference, scope=scope
        )
        name = export_name(period, scope.organisation)
        written = write_files(folder, name, figures, appointments)
        if charts:
            counts = await gather(store, period, tz, scope=scope)
            written += await asyncio.to_thread(write_charts, folder, name, counts, charts)
        await record_export(store, clock, "cli", period, with_reference=with_reference, scope=scope)
    whose = f" of {scope.organisation}" if scope.organisation else ""
    print(
        f"Figures{whose} from {period.first} to {period.last}: {len(appointments.rows)}"
        f" appointment row(s), newcomer codes {'included' if with_reference else 'left out'}."
    )
    for path in written:
        print(f"wrote {path}")
    return 0
