"""Paths as a code host shows them: relative to the repository the CI job checked out."""

from __future__ import annotations

import os
from pathlib import Path

WORKSPACE_VARIABLES = ("GITHUB_WORKSPACE", "CI_PROJECT_DIR")
"""Where GitHub Actions and GitLab CI put the checkout."""


def repo_path(file: str) -> str:
    """The file relative to the CI checkout when there is one, else as findings name it."""
    workspace = next((os.environ[v] for v in WORKSPACE_VARIABLES if os.environ.get(v)), None)
    if not workspace:
        return file
    try:
        return Path(file).resolve().relative_to(Path(workspace).resolve()).as_posix()
    except (ValueError, OSError):
        return file
