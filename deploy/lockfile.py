"""The lock files and pyproject.toml agree (`make lock` writes them, `make` checks them).

pyproject.toml keeps the ranges Schakel works with; requirements.lock (what the bot
needs) and requirements-dev.lock (that and the tools of `make test`) pin every package,
dependencies of dependencies too, to one version with its hashes (pip-compile
--generate-hashes), and `make` installs from them with --require-hashes.

Each lock file ends with a stamp: a hash of the dependency lists in pyproject.toml it
was made from. A dependency added to pyproject.toml without `make lock` makes `make`
stop at once with one line saying so, instead of a venv without the new package.

    python3 deploy/lockfile.py stamp LOCKFILE   # after pip-compile (make lock)
    python3 deploy/lockfile.py check LOCKFILE   # before installing (make)

Standard library only: it runs before any virtual environment exists.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "# pyproject-dependencies-sha256: "


def fingerprint(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """A hash of what the lock is made from: the dependencies, the extras, Python."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    relevant = {
        "dependencies": sorted(project.get("dependencies", [])),
        "optional-dependencies": {
            name: sorted(deps) for name, deps in project.get("optional-dependencies", {}).items()
        },
        "requires-python": project.get("requires-python", ""),
    }
    return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()


def stamp(lockfile: Path) -> None:
    lines = [
        line
        for line in lockfile.read_text(encoding="utf-8").splitlines()
        if not line.startswith(PREFIX)
    ]
    lines.append(PREFIX + fingerprint())
    lockfile.write_text("\n".join(lines) + "\n", encoding="utf-8")


def problem(lockfile: Path) -> str | None:
    """Why this lock file may not be installed, or None."""
    if not lockfile.exists():
        return f"{lockfile.name} is missing: run `make lock`"
    for line in lockfile.read_text(encoding="utf-8").splitlines():
        if line.startswith(PREFIX):
            if line.removeprefix(PREFIX).strip() == fingerprint():
                return None
            break
    return (
        f"{lockfile.name} does not match the dependencies in pyproject.toml "
        "(one was added, removed or changed): run `make lock` and commit both files"
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("stamp", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    lockfile = Path(argv[1])
    if argv[0] == "stamp":
        stamp(lockfile)
        return 0
    if (found := problem(lockfile)) is not None:
        print(f"lockfile: {found}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
