"""Where pmo keeps its files, readable before Django's settings are loaded."""

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_CHECKOUT = PACKAGE_DIR.parent


def data_dir() -> Path:
    """PMO_DATA_DIR, else var/ of a source checkout, else var/ of the working directory."""
    configured = os.environ.get("PMO_DATA_DIR")
    if configured:
        return Path(configured)
    if (SOURCE_CHECKOUT / "pyproject.toml").exists():
        return SOURCE_CHECKOUT / "var"
    return Path.cwd() / "var"
