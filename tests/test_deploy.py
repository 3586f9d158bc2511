"""Installing and deploying Schakel (issue 19, items 1, 2, 5 and 6), offline.

- `pip install .`, not editable, into a fresh virtual environment: `schakel --version`
  and `schakel demo` work there, from another folder (migrations, catalogs and all come
  from the installed package, not from this checkout).
- deploy/schakel.service passes `systemd-analyze verify`; the Dockerfile passes hadolint.
- A Litestream file replica of a live Schakel database restores to a sound one.
- The lock files agree with pyproject.toml (deploy/lockfile.py).
- `schakel check-config` lists every problem.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

from bot.core.version import __version__
from bot.storage.database import Store
from bot.storage.schema import check_database
from deploy import lockfile
from tests.test_cli import schakel

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(*command: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCHAKEL_", "PYTHON"))}
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip


# --- 1. install -------------------------------------------------------------------------


def test_a_non_editable_install_in_a_fresh_venv_runs_version_and_demo(tmp_path: Path) -> None:
    """The wheel is built from this checkout without the network (setuptools from the
    dev lock); the fresh venv finds the dependencies through a path file pointing at this
    venv's site-packages (which adds no .pth of its own: not the editable install)."""
    wheels = tmp_path / "wheels"
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                "--wheel-dir", wheels, ROOT, cwd=tmp_path)  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("schakel-*.whl")

    venv = tmp_path / "venv"
    assert run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path).returncode == 0
    python = venv / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                    cwd=tmp_path).stdout.strip())  # fmt: skip
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps",
                    "--no-index", wheel, cwd=tmp_path)  # fmt: skip
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    origin = run(python, "-c", "import bot, messages; print(bot.__file__, messages.__file__)",
                 cwd=elsewhere)  # fmt: skip
    assert origin.stdout.count(str(site)) == 2, origin.stdout + origin.stderr

    version = run(venv / "bin" / "schakel", "--version", cwd=elsewhere)
    assert (version.returncode, version.stdout) == (0, f"schakel {__version__}\n")
    demo = run(venv / "bin" / "schakel", "demo", cwd=elsewhere, timeout=600)
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert "Amal" in demo.stdout
    assert "أ" in demo.stdout or "ا" in demo.stdout  # the Arabic catalog was found
    assert "Traceback" not in demo.stderr


def test_the_lock_files_agree_with_pyproject() -> None:
    for name in ("requirements.lock", "requirements-dev.lock"):
        assert lockfile.problem(ROOT / name) is None, lockfile.problem(ROOT / name)


def test_a_dependency_added_without_make_lock_is_one_clear_line(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    lock = tmp_path / "requirements.lock"
    lock.write_text("aiosqlite==0.22.1\n", encoding="utf-8")
    assert "missing" in str(lockfile.problem(tmp_path / "absent.lock"))
    lock.write_text(f"aiosqlite==0.22.1\n{lockfile.PREFIX}{lockfile.fingerprint(pyproject)}\n")
    assert lockfile.fingerprint(pyproject) == lockfile.fingerprint()
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace('"segno>=1.6",', '"segno>=1.6",\n    "python-bidi>=0.6",'))
    assert lockfile.fingerprint(pyproject) != lockfile.fingerprint()
    checked = run(sys.executable, ROOT / "deploy" / "lockfile.py", "check", lock, cwd=tmp_path)
    assert checked.returncode == 0  # against this checkout's pyproject: the stamp matches
    lock.write_text("aiosqlite==0.22.1\n" + lockfile.PREFIX + "0" * 64 + "\n")
    checked = run(sys.executable, ROOT / "deploy" / "lockfile.py", "check", lock, cwd=tmp_path)
    assert checked.returncode == 1
    assert checked.stderr == (
        "lockfile: requirements.lock does not match the dependencies in pyproject.toml (one was"
        " added, removed or changed): run `make lock` and commit both files\n"
    )


# --- 2. start and stop ------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_the_systemd_unit_verifies(tmp_path: Path) -> None:
    """As installed, but with this venv's `schakel` (verify checks that it exists)."""
    unit = (ROOT / "deploy" / "schakel.service").read_text(encoding="utf-8")
    assert "/opt/schakel/venv/bin/schakel" in unit
    for needed in (
        "User=schakel",
        "Restart=on-failure",
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
        "StateDirectory=schakel",
        "RestartPreventExitStatus=2 3",
    ):
        assert needed in unit, needed  # fmt: skip
    here = tmp_path / "schakel.service"
    here.write_text(unit.replace("/opt/schakel/venv/bin/schakel", str(BIN / "schakel")))
    verified = run("systemd-analyze", "verify", here, cwd=tmp_path)
    assert verified.returncode == 0, verified.stderr
    assert "schakel.service" not in verified.stderr, verified.stderr


def test_the_dockerfile_passes_hadolint(tmp_path: Path) -> None:
    linted = run(BIN / "hadolint", ROOT / "Dockerfile", cwd=tmp_path)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for needed in (
        "FROM python:3.11-slim",
        "USER 10001",
        'VOLUME ["/data"]',
        "HEALTHCHECK",
        "--require-hashes -r requirements.lock",
    ):
        assert needed in dockerfile, needed  # fmt: skip


# --- 5. recover: Litestream -------------------------------------------------------------


def test_a_litestream_file_replica_restores_a_sound_database(tmp_path: Path) -> None:
    """docs/operations.md's litestream.yml, with a file replica: replicate while the
    database changes, then restore it elsewhere; Schakel's restore check accepts it."""
    database = tmp_path / "schakel.db"

    async def migrate() -> None:
        await (await Store.open(database)).close()

    asyncio.run(migrate())
    example = (ROOT / "deploy" / "litestream.yml").read_text(encoding="utf-8")
    config = tmp_path / "litestream.yml"
    config.write_text(
        example.replace("/var/lib/schakel/schakel.db", str(database)).replace(
            "/mnt/backup/schakel", str(tmp_path / "replica")
        ),
        encoding="utf-8",
    )
    litestream = BIN / "litestream"
    replicating = subprocess.Popen(
        [litestream, "replicate", "-config", config],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        with sqlite3.connect(database) as db:
            for n in range(50):
                db.execute(
                    "INSERT INTO audit_log (at, actor, action) VALUES (?, 'cli', 'test.entry')",
                    (f"2026-12-02T10:00:{n:02d}.000000Z",),
                )
                db.commit()
        deadline = time.monotonic() + 60
        while not list((tmp_path / "replica").rglob("*.ltx")):
            assert time.monotonic() < deadline, "no replica written"
            time.sleep(0.2)
        time.sleep(2.5)  # one more sync (every second)
    finally:
        replicating.send_signal(signal.SIGTERM)
        log = replicating.communicate(timeout=60)[0]
    assert replicating.returncode == 0, log

    restored = tmp_path / "restored.db"
    done = run(litestream, "restore", "-config", config, "-o", restored, database, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    facts = check_database(restored)  # what `schakel restore` checks before it puts it in place
    assert facts.audit_entries >= 50, facts
    with sqlite3.connect(restored) as db:
        count = db.execute("SELECT count(*) FROM audit_log WHERE action = 'test.entry'")
        assert count.fetchone() == (50,)


# --- 6. configuration --------------------------------------------------------------------


def test_check_config_lists_every_problem_and_starts_nothing(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        "[telegram]\ntokn = 'x'\n[http]\nlisten = 'everywhere'\n[logging]\nformat = 'xml'\n"
        "[reminders]\ndefault = ['3 weeks']\n",
        encoding="utf-8",
    )
    checked = schakel(tmp_path, "--config", str(config), "check-config")
    assert checked.returncode == 2
    assert checked.stdout.splitlines() == [
        f"{config}: telegram.tokn is not a known setting (check the spelling against"
        " config.example.toml)",
        f"{config}: reminders.default: '3 weeks' is not an offset like 3d, 2h or 30m",
        f"{config}: http.listen: 'everywhere' is not a host and port like 127.0.0.1:8080",
        f"{config}: logging.format: input should be 'text' or 'json'",
    ]
    assert not list(tmp_path.glob("*.db*"))

    config.write_text(
        f"[storage]\ndatabase = '{tmp_path / 'gone' / 's.db'}'\n"
        "[sms]\naccount_sid = 'AC0123456789abcdef0123456789abcdef'\nauth_token = 'secret'\n"
        "sender = '+32460000000'\n"
    )
    checked = schakel(tmp_path, "--config", str(config), "check-config")
    assert checked.returncode == 2
    assert checked.stdout.splitlines() == [
        f"{config}: telegram.token is missing (set it in config.toml or SCHAKEL_TELEGRAM__TOKEN)",
        f"{config}: sms: set [sms] public_url and [http] listen, or no delivery report and no"
        " newcomer's answer by SMS reaches Schakel",
        f"{config}: storage.database: the folder {tmp_path / 'gone'} does not exist",
    ]

    good = ROOT / "config.example.toml"
    token = "123456:" + "a" * 35
    (tmp_path / "config.toml").write_text(
        good.read_text(encoding="utf-8").replace('# token = "123456789:AAE-your-token-from-'
                                                 'BotFather-here"', f'token = "{token}"'),
    )  # fmt: skip
    checked = schakel(tmp_path, "check-config")
    assert (checked.returncode, checked.stdout) == (0, "config.toml: ok\n"), checked.stdout
    assert token not in checked.stdout + checked.stderr
