"""The `schakel` command: run, demo, status, check-config, admin add, staff (list,
deactivate, reactivate), backup, restore, purge, import-planning, export, check-text,
check-messages, check-catalogs."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.core.config import Config, ConfigError, config_problems, load_config
from bot.core.version import __version__
from bot.storage import lock
from bot.storage.schema import Refused, check_before_opening

EXIT_REFUSED = 1  # a database that is not a sound Schakel one, a refused restore
EXIT_CONFIG = 2
# Another process has the database (its lock) or polls Telegram with the token (409
# Conflict): starting again will not help until it stops (RestartPreventExitStatus=3).
EXIT_ELSEWHERE = 3
DEFAULT_CONFIG = Path("config.toml")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="schakel",
        description="Schakel: appointment reminders, contact cards, warm handovers and "
        "announcements for newcomers in Flanders, on Telegram.",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="TOML configuration file (default: config.toml if it exists)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    parser.add_argument("--version", action="version", version=f"schakel {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser(
        "run",
        help="start the bot (needs telegram.token)",
        description="Start the bot and poll Telegram until stopped (Ctrl+C).",
    )
    demo = commands.add_parser(
        "demo",
        help="play a scripted scenario offline, no token needed",
        description="Run the real application against the offline Telegram "
        "stand-in and print every chat as a transcript.",
    )
    demo.add_argument(
        "--files",
        type=Path,
        default=None,
        metavar="FOLDER",
        help="also save the files the bot sent (QR code, calendar file, chart, Excel) here",
    )

    commands.add_parser(
        "check-config",
        help="check the configuration without starting: every problem, one line each",
        description="Read the configuration (config.toml or --config, and SCHAKEL_* "
        "variables) as `run` would, and list every problem, one line each: unknown or "
        "misspelt keys, wrong values, no token, a database folder that is missing or cannot "
        "be written. Exit 0 when there is none, 2 otherwise. Starts nothing.",
    )
    commands.add_parser(
        "status",
        help="is the bot running and well? (exit 1 when something is wrong)",
        description="Print, from the database, whether the bot runs, the outbox (waiting, "
        "the oldest due, failed in the last 24 hours), late reminders and unreachable "
        "newcomers; with [http] listen set, also the running bot's /healthz. Exit 0 when all "
        "is well, 1 when something is wrong (not running, stuck, unhealthy), 2 for a "
        "configuration error. Changes nothing.",
    )
    commands.add_parser(
        "redact",
        help="print a text as Schakel would keep it (personal numbers, phones, e-mail "
        "addresses and IBANs out); --json for the findings",
        add_help=False,  # listed here; main() hands it to bot/cli/redact.py before parsing
    )

    admin = commands.add_parser(
        "admin",
        help="manage staff from the command line",
        description="Manage staff from the command line.",
    )
    admin_commands = admin.add_subparsers(dest="admin_command", required=True, metavar="ACTION")
    add = admin_commands.add_parser(
        "add",
        help="make a Telegram user an admin (the first one, or a new one)",
        description="Make a Telegram user an admin. Further staff join through invite links "
        "that an admin creates in chat with /uitnodigen.",
    )
    add.add_argument(
        "telegram_user_id",
        type=int,
        metavar="TELEGRAM_USER_ID",
        help="the numeric Telegram user id (ask @userinfobot)",
    )
    add.add_argument("--name", required=True, help="the admin's name as staff will see it")
    add.add_argument(
        "--org", default=None, help="short name of their organisation from the configuration"
    )

    staff = commands.add_parser(
        "staff",
        help="list staff; end or give back someone's access (someone leaves)",
        description="Staff leave, by the same rules as /medewerkers in the chat. See "
        "docs/security.md.",
    )
    staff_commands = staff.add_subparsers(dest="staff_command", required=True, metavar="ACTION")
    staff_commands.add_parser(
        "list", help="every staff member with their number", description="List staff."
    )
    deactivate = staff_commands.add_parser(
        "deactivate",
        help="end a staff member's access at once; their newcomers go to --to",
        description="End a staff member's access at once: commands, buttons, handover note "
        "details and open forms (their draft is dropped); the invite links they made that "
        "are still open stop working. The newcomers for whom they are the contact person get "
        "the caseworker --to as contact, each told in their language with the new card. "
        "Refused (nothing changes) for the last admin, and when --to is missing or is not an "
        "active caseworker of the same organisation.",
    )
    deactivate.add_argument("staff_id", type=int, metavar="ID", help="the number from `list`")
    deactivate.add_argument(
        "--to",
        dest="colleague_id",
        type=int,
        default=None,
        metavar="ID",
        help="the caseworker who becomes the contact person of their newcomers",
    )
    reactivate = staff_commands.add_parser(
        "reactivate",
        help="give a staff member their access back",
        description="Give back the access of a staff member whose access ended, with the "
        "role and organisation they had. Newcomers handed on stay with their new contact.",
    )
    reactivate.add_argument("staff_id", type=int, metavar="ID", help="the number from `list`")

    backup = commands.add_parser(
        "backup",
        help="make a consistent copy of the live database",
        description="Copy the database while the bot runs (SQLite's online backup).",
    )
    backup.add_argument("path", type=Path, metavar="PATH", help="where to write the copy")

    restore = commands.add_parser(
        "restore",
        help="put a backup in place of the database (the bot stopped)",
        description="Check that BACKUP is a sound Schakel database (integrity, foreign keys, "
        "migrations not newer than this Schakel) and make it the configured database. "
        "Refused while the database is in use; an existing database is replaced only with "
        "--force, and then kept beside it under a dated name. See docs/operations.md.",
    )
    restore.add_argument("backup", type=Path, metavar="BACKUP", help="the backup file")
    restore.add_argument(
        "--force", action="store_true", help="replace an existing database (it is kept aside)"
    )

    purge = commands.add_parser(
        "purge",
        help="remove what is past its retention ([retention] in the configuration)",
        description="Remove appointments, handover notes, delivery records and audit log "
        "entries older than their retention, one transaction per kind, and print what went. "
        "Nothing still needed is touched (messages not yet sent, open handover notes, "
        "future appointments). The bot also does this every day at retention.purge_at.",
    )
    purge.add_argument("--dry-run", action="store_true", help="only print what would be removed")

    planning = commands.add_parser(
        "import-planning",
        help="appointments from the partners' planning sheet (CSV or XLSX)",
        description="Read a planning sheet (CSV or XLSX, one appointment per row; columns "
        "found by header in Dutch or English: Datum/Date, Uur/Time, Referentie/Reference, "
        "Intakers, Organisatie, Plaats/Place, Tolk/Interpreter, Soort/Kind). By default a "
        "dry run: every row is checked and its problem printed, nothing is saved. A national "
        "register number column is dropped, never stored. Exit 1 when a row has a problem.",
    )
    planning.add_argument("file", type=Path, metavar="FILE", help="the .csv or .xlsx file")
    planning.add_argument(
        "--apply",
        action="store_true",
        help="import every valid row, in one transaction, with reminders and messages",
    )

    export = commands.add_parser(
        "export",
        help="the figures of a period as XLSX and CSV, for the partners' reports",
        description="Write the coordinators' figures for a period and one anonymous row "
        "per appointment (no names, chat ids or places; the newcomer's code only when "
        "[export] include_references = true) to an XLSX file with two sheets and to two "
        "CSV files (semicolons, UTF-8 with a byte-order mark, for Excel in Belgium).",
    )
    export.add_argument(
        "--from", dest="first", required=True, metavar="DAY", help="first day: 1-10-2026"
    )
    export.add_argument(
        "--to", dest="last", default=None, metavar="DAY", help="last day, included (default: today)"
    )
    export.add_argument(
        "--out", type=Path, default=Path("."), metavar="FOLDER", help="where to write (default: .)"
    )
    export.add_argument(
        "--language", default="nl", help="language of the headings and labels (default: nl)"
    )
    export.add_argument(
        "--chart-lang",
        dest="chart_languages",
        default="",
        metavar="LANGS",
        help="also write the chart as PNG in these languages: ar,ti,nl (or 'all')",
    )
    export.add_argument(
        "--organisation",
        default="",
        metavar="NAME",
        help="only what belongs to one organisation (its short name: VDAB), for a partner"
        " who reports alone",
    )

    check_text = commands.add_parser(
        "check-text",
        help="plain-Dutch and SMS-length tips for your own text",
        description="Check a Dutch text for plain language (sentence length, long, rare and "
        "formal words, passive voice, abbreviations, Flesch-Douma) and SMS length. "
        "Give the text as arguments or on standard input. Exit 1 when there are findings.",
    )
    check_text.add_argument("text", nargs="*", help="the text (default: read standard input)")
    check_text.add_argument("--json", action="store_true", help="print one JSON object")
    check_text.add_argument(
        "--max-words", type=int, default=12, help="most words per sentence (default 12)"
    )
    check_messages = commands.add_parser(
        "check-messages",
        help="check every Dutch template with realistic values (plain language, SMS)",
        description="Render every Dutch text in messages/texts.py with realistic sample "
        "values and check it by its audience: newcomer texts must be plain Dutch and fit "
        "one SMS; staff texts avoid long sentences, the passive, formal words and "
        "abbreviations; button labels stay short. Exit 1 when a template breaks a rule.",
    )
    check_messages.add_argument(
        "--problems", action="store_true", help="print only the templates that break a rule"
    )
    check_catalogs = commands.add_parser(
        "check-catalogs",
        help="check translations: complete, no fuzzy, "
        "placeholders as in Dutch, template up to date, right-to-left runs isolated",
        description="Exit 1 when a catalog is incomplete, fuzzy, has other "
        "placeholders than the Dutch source, a left-to-right run (a command, a name, a "
        "number) not isolated inside a right-to-left translation, or the .pot is out of date.",
    )
    check_catalogs.add_argument(
        "--isolate",
        action="store_true",
        help="first wrap every left-to-right run of the right-to-left catalogs in an isolate",
    )
    return parser


def _load(path: Path | None, *, required: bool) -> Config:
    if path is None and DEFAULT_CONFIG.exists():
        path = DEFAULT_CONFIG
    if path is None and required:
        raise ConfigError(
            "config.toml not found (copy config.example.toml to config.toml and fill it in)"
        )
    return load_config(path, os.environ)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if (rest := _redact_arguments(arguments)) is not None:
        # Its own parser: the text may start with "-" and stdin is read when it is absent.
        from bot.cli import redact

        return redact.main(rest, sys.stdin, sys.stdout, sys.stderr)
    args = _parser().parse_args(arguments)
    try:
        return _dispatch(args)
    except ConfigError as problem:
        print(f"schakel: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    except Refused as refused:  # one line, whichever command (bot/storage/schema.py)
        print(f"schakel: {refused}", file=sys.stderr)
        return EXIT_ELSEWHERE if isinstance(refused, lock.InUse) else EXIT_REFUSED
    except KeyboardInterrupt:
        return 130


def _redact_arguments(arguments: list[str]) -> list[str] | None:
    """What follows `redact` when that is the command (after --config FILE or -v)."""
    at = 0
    while at < len(arguments) and arguments[at] in ("--config", "-v", "--verbose"):
        at += 2 if arguments[at] == "--config" else 1
    if at < len(arguments) and arguments[at] == "redact":
        return arguments[at + 1 :]
    return None


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "demo":
        from bot.app.demo import run_demo

        logging.basicConfig(level=logging.DEBUG if args.verbose else logging.ERROR)
        print(asyncio.run(run_demo(args.files)))
        if args.files is not None:
            print(f"Files the bot sent: {args.files}/")
        return 0
    if args.command == "check-catalogs":
        from messages.catalogs import check_catalogs, isolate_catalogs

        if args.isolate:
            for language, changed in isolate_catalogs().items():
                print(f"{language}: {changed} translation(s) isolated")
        problems = check_catalogs()
        for problem in problems:
            print(problem)
        print("catalogs: ok" if not problems else f"catalogs: {len(problems)} problem(s)")
        return 1 if problems else 0
    if args.command == "check-messages":
        from messages.template_check import run_check_messages

        return run_check_messages(only_problems=args.problems)
    if args.command == "check-text":
        from messages.plain_report import run_check_text

        text = " ".join(args.text) if args.text else sys.stdin.read()
        return run_check_text(text, as_json=args.json, max_words=args.max_words)
    if args.command == "check-config":
        return _check_config(args.config)
    if args.command == "run":
        config = _load(args.config, required=True)
        token = config.require_token()
        from bot.core import logs

        # The token never reaches the log.
        logs.configure(args.verbose, secrets=[token], as_json=config.logging.format == "json")
        return _run(config)
    config = _load(args.config, required=False)
    if args.command == "status":
        from bot.cli.status import show_status

        return asyncio.run(show_status(config, sys.stdout))
    if args.command == "admin":
        from bot.cli.admin import add_admin

        return asyncio.run(add_admin(config, args.telegram_user_id, args.name, args.org))
    if args.command == "staff":
        from bot.cli import staff

        if args.staff_command == "list":
            return asyncio.run(staff.list_staff(config))
        if args.staff_command == "deactivate":
            return asyncio.run(staff.deactivate_staff(config, args.staff_id, args.colleague_id))
        return asyncio.run(staff.reactivate_staff(config, args.staff_id))
    if args.command == "import-planning":
        from bot.cli.planning import import_planning

        return asyncio.run(import_planning(config, args.file, apply=args.apply))
    if args.command == "export":
        from bot.cli.export import export_figures

        return asyncio.run(
            export_figures(
                config,
                args.first,
                args.last,
                args.out,
                args.language,
                chart_languages=args.chart_languages,
                organisation=args.organisation,
            )
        )
    if args.command == "backup":
        from bot.cli.admin import backup_database

        return asyncio.run(backup_database(config, args.path))
    if args.command == "restore":
        from bot.cli.admin import restore_database

        return asyncio.run(restore_database(config, args.backup, force=args.force))
    if args.command == "purge":
        from bot.cli.admin import purge_database

        return asyncio.run(purge_database(config, dry_run=args.dry_run))
    raise AssertionError(args.command)


def _check_config(path: Path | None) -> int:
    if path is None and DEFAULT_CONFIG.exists():
        path = DEFAULT_CONFIG
    if path is None:
        print("schakel: config.toml not found (copy config.example.toml to config.toml and "
              "fill it in)", file=sys.stderr)  # fmt: skip
        return EXIT_CONFIG
    problems = config_problems(path, os.environ)
    for problem in problems:
        print(f"{path}: {problem}")
    if problems:
        return EXIT_CONFIG
    print(f"{path}: ok")
    return 0


def _run(config: Config) -> int:
    database = config.storage.database
    # A bad database is refused before a lock file is made beside it; a second bot on
    # the same database before it reads the outbox (it would send the first one's
    # messages in flight again) or asks Telegram for anything; both before the
    # Telegram library is even imported, so the refusal comes at once.
    check_before_opening(database)
    with lock.take(database, "run"):
        from telegram.error import InvalidToken

        from bot.app.application import build_application, serve_by_webhook, stopped_by_conflict
        from bot.app.http import CannotListen

        application = build_application(config)
        try:
            if config.telegram.mode == "webhook":
                asyncio.run(serve_by_webhook(application, config))
            else:
                application.run_polling()
        except CannotListen as problem:
            print(f"schakel: {problem}", file=sys.stderr)
            return EXIT_CONFIG
        except InvalidToken:
            # PTB's message (and so its traceback) holds the token itself.
            print(
                "schakel: Telegram refused telegram.token (ask @BotFather for it)", file=sys.stderr
            )
            return EXIT_CONFIG
    return EXIT_ELSEWHERE if stopped_by_conflict(application) else 0


if __name__ == "__main__":
    sys.exit(main())
