"""Which Schakel this is: the installed package's version (pyproject.toml)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("schakel")
except PackageNotFoundError:  # run from a folder that was never installed
    __version__ = "0+unknown"
