"""GitHub Actions workflow commands, so findings appear on the changed lines of a pull request."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

from qingdan.findings import ValidationResult
from qingdan.reporters.summary import summary_line


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _path(file: str) -> str:
    """Annotations name files relative to the repository (the workspace), not the working folder."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if not workspace:
        return file
    try:
        return Path(file).resolve().relative_to(Path(workspace).resolve()).as_posix()
    except (ValueError, OSError):
        return file


def render(result: ValidationResult, stream: TextIO) -> None:
    for f in result.findings:
        props = [f"file={_prop(_path(f.location.file))}"]
        if f.location.line:
            props += [f"line={f.location.line}", f"col={f.location.column}"]
        props.append(f"title={_prop(f.code)}")
        subject = " ".join(p for p in (f.item, f.field) if p)
        message = f"{subject}：{f.message}" if subject else f.message
        stream.write(f"::{f.severity.value} {','.join(props)}::{_data(message)}\n")
    stream.write(summary_line(result) + "\n")
