"""`schakel status`: is the bot running and well, for someone at the shell.

The facts /healthz and /metrics give (bot/app/health.py), read from the database in this
process: whether a bot holds the database's lock, the outbox, late reminders and
unreachable newcomers. What only the running process knows (its last poll of Telegram)
comes from its /healthz when `[http] listen` is set. Reads only: no migration, no lock.
Exit 0 when all is well, 1 when something is wrong.
"""

from __future__ import annotations

from typing import TextIO

import aiosqlite
import httpx

from bot.app import health
from bot.core.clock import utc_now
from bot.core.config import Config
from bot.core.version import __version__
from bot.storage import lock
from bot.storage.database import migration_files
from bot.storage.schema import check_before_opening

EXIT_OK, EXIT_WRONG = 0, 1
HEALTHZ_TIMEOUT = 5.0


async def show_status(config: Config, out: TextIO) -> int:
    database = config.storage.database
    problems: list[str] = []
    print(f"schakel {__version__}, database {database}", file=out)
    if not database.exists():
        print(f"problem: {database} does not exist (the bot never ran here)", file=out)
        return EXIT_WRONG
    check_before_opening(database)  # a file that is not a sound Schakel database: exit 1
    holder = lock.holder(database)
    if holder is None:
        problems.append("the bot is not running")
        print("bot: not running", file=out)
    else:
        print(f"bot: running (process {holder.get('pid')} since {holder.get('since')})", file=out)
    # Read-only: a look changes nothing, not even the journal mode.
    db = await aiosqlite.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        async with db.execute("SELECT max(version) FROM schema_migrations") as cursor:
            row = await cursor.fetchone()
        facts = await health.read_facts(db, utc_now())
    finally:
        await db.close()
    newest = max((version for version, _, _ in migration_files()), default=0)
    have = int(row[0] or 0) if row else 0
    print(f"migrations: {have} of {newest}", file=out)
    print(
        f"outbox: {facts.pending} waiting, the oldest due {facts.oldest_due_age:.0f} s ago; "
        f"{facts.sent_last_hour} sent and {facts.failed_last_hour} failed in the last hour, "
        f"{facts.failed_last_day} failed in the last 24 hours",
        file=out,
    )
    print(f"reminders: {facts.late_reminders_last_day} late in the last 24 hours", file=out)
    print(f"newcomers: {facts.unreachable_newcomers} unreachable", file=out)
    if stuck := health.stuck(facts):
        problems.append(stuck)
    if holder is not None and (address := config.http.host_and_port) is not None:
        problems.extend(_healthz(*address, out))
    for problem in problems:
        print(f"problem: {problem}", file=out)
    if not problems:
        print("ok", file=out)
    return EXIT_WRONG if problems else EXIT_OK


def _healthz(host: str, port: int, out: TextIO) -> list[str]:
    """The running bot's own answer: what it knows of Telegram."""
    where = f"[{host}]" if ":" in host else host
    url = f"http://{where}:{port}/healthz"
    try:
        answer = httpx.get(url, timeout=HEALTHZ_TIMEOUT)
    except httpx.HTTPError as exc:
        return [f"{url} does not answer ({type(exc).__name__})"]
    print(f"healthz: {answer.status_code} {answer.text.strip()}", file=out)
    if answer.status_code == 200:
        return []
    return [f"healthz: {line}" for line in answer.text.strip().splitlines()]
