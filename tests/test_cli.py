"""The `schakel` console script, run as a subprocess: help, config errors, admin add, backup."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def schakel(cwd: Path, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("SCHAKEL_")}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line of a refused command, checked for shape."""
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stderr.endswith("\n")
    assert lines[0].startswith("schakel: "), lines[0]
    return lines[0]


def write_config(tmp_path: Path, database: Path | None = None, extra: str = "") -> Path:
    database = database or tmp_path / "s.db"
    text = (
        f"[storage]\ndatabase = '{database}'\n\n"
        '[[organisations]]\nshort_name = "VDAB"\nname = "VDAB Gent"\n' + extra
    )
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def query(database: Path, sql: str) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(database)) as db:
        return db.execute(sql).fetchall()


# --- help ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "usage"),
    [
        (["--help"], "usage: schakel"),
        (["run", "--help"], "usage: schakel run"),
        (["demo", "--help"], "usage: schakel demo"),
        (["admin", "add", "--help"], "usage: schakel admin add"),
        (["backup", "--help"], "usage: schakel backup"),
        (["check-catalogs", "--help"], "usage: schakel check-catalogs"),
    ],
)
def test_help(tmp_path: Path, args: list[str], usage: str) -> None:
    result = schakel(tmp_path, *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(usage), result.stdout
    assert result.stderr == ""


def test_admin_add_help_names_its_options(tmp_path: Path) -> None:
    result = schakel(tmp_path, "admin", "add", "--help")
    assert "TELEGRAM_USER_ID" in result.stdout
    assert "--name" in result.stdout
    assert "--org" in result.stdout


def test_no_command_is_a_usage_error(tmp_path: Path) -> None:
    result = schakel(tmp_path)
    assert result.returncode == 2
    assert "usage: schakel" in result.stderr
    assert "Traceback" not in result.stderr


# --- run refuses a bad configuration -----------------------------------------------------


def test_run_without_config_toml(tmp_path: Path) -> None:
    result = schakel(tmp_path, "run")
    assert result.returncode == 2
    line = one_line_error(result)
    assert "config.toml" in line
    assert result.stdout == ""


def test_run_without_token(tmp_path: Path) -> None:
    write_config(tmp_path)
    result = schakel(tmp_path, "run")
    assert result.returncode == 2
    line = one_line_error(result)
    assert "telegram.token" in line
    assert not (tmp_path / "s.db").exists()


def test_run_with_malformed_config(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[telegram\ntoken=\n", encoding="utf-8")
    result = schakel(tmp_path, "run")
    assert result.returncode == 2
    line = one_line_error(result)
    assert "config.toml" in line


def test_run_with_unknown_key(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[telegram]\ntokn = "x"\n', encoding="utf-8")
    result = schakel(tmp_path, "run")
    assert result.returncode == 2
    assert "telegram.tokn" in one_line_error(result)


def test_run_with_a_missing_explicit_config(tmp_path: Path) -> None:
    result = schakel(tmp_path, "--config", "elsewhere.toml", "run")
    assert result.returncode == 2
    assert "elsewhere.toml" in one_line_error(result)


# --- admin add and backup ----------------------------------------------------------------


def test_admin_add_then_backup(tmp_path: Path) -> None:
    database = tmp_path / "s.db"
    write_config(tmp_path, database)

    result = schakel(tmp_path, "admin", "add", "42", "--name", "Annelies", "--org", "VDAB")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Annelies" in result.stdout

    staff = query(
        database,
        "SELECT s.telegram_user_id, s.name, s.role, o.short_name"
        " FROM staff s JOIN organisations o ON o.id = s.organisation_id",
    )
    assert staff == [(42, "Annelies", "admin", "VDAB")]
    actions = query(database, "SELECT actor, action FROM audit_log")
    assert ("cli", "staff.add") in actions

    result = schakel(tmp_path, "backup", "OUT.db")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    copy = tmp_path / "OUT.db"
    assert copy.exists()
    assert query(copy, "SELECT telegram_user_id, name, role FROM staff") == [
        (42, "Annelies", "admin")
    ]


def test_admin_add_unknown_org(tmp_path: Path) -> None:
    database = tmp_path / "s.db"
    write_config(tmp_path, database)
    result = schakel(tmp_path, "admin", "add", "42", "--name", "Annelies", "--org", "NASA")
    assert result.returncode == 2
    line = one_line_error(result)
    assert "--org" in line
    assert "NASA" in line
    assert "VDAB" in line  # the configured ones are listed
    assert query(database, "SELECT count(*) FROM staff") == [(0,)]


def test_admin_add_without_org(tmp_path: Path) -> None:
    database = tmp_path / "s.db"
    write_config(tmp_path, database)
    result = schakel(tmp_path, "admin", "add", "7", "--name", "Jan")
    assert result.returncode == 0, result.stderr
    assert query(database, "SELECT telegram_user_id, role, organisation_id FROM staff") == [
        (7, "admin", None)
    ]


def test_admin_add_refuses_a_group_id(tmp_path: Path) -> None:
    write_config(tmp_path)
    result = schakel(tmp_path, "admin", "add", "--name", "Jan", "--", "-100")
    assert result.returncode == 2
    assert "TELEGRAM_USER_ID" in one_line_error(result)


def test_admin_add_with_a_broken_config(tmp_path: Path) -> None:
    write_config(tmp_path, extra='\n[invites]\nnewcomer_valid_days = "soon"\n')
    result = schakel(tmp_path, "admin", "add", "42", "--name", "Annelies")
    assert result.returncode == 2
    assert "invites.newcomer_valid_days" in one_line_error(result)
    assert not (tmp_path / "s.db").exists()


def test_backup_without_a_database(tmp_path: Path) -> None:
    write_config(tmp_path, tmp_path / "absent.db")
    result = schakel(tmp_path, "backup", "OUT.db")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "no database" in lines[0]
    assert "absent.db" in lines[0]
    assert not (tmp_path / "OUT.db").exists()
    assert not (tmp_path / "absent.db").exists()
