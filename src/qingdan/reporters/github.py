"""GitHub Actions workflow commands, so findings appear on the changed lines of a pull request."""

from __future__ import annotations

from typing import TextIO

from qingdan.findings import ValidationResult
from qingdan.present.visible import visible
from qingdan.reporters.display import Display
from qingdan.reporters.paths import repo_path
from qingdan.reporters.summary import summary_line
from qingdan.reporters.text import placed_subject


def _data(text: str) -> str:
    """Escaped as workflow commands want; control characters shown, as the log is a terminal."""
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: ValidationResult, stream: TextIO, display: Display) -> None:
    for f in result.findings:
        props = [f"file={_prop(repo_path(f.location.file))}"]
        if f.location.line and not f.location.sheet:
            props += [f"line={f.location.line}", f"col={f.location.column}"]
        props.append(f"title={_prop(f.code)}")
        about = placed_subject(f)
        message = f"{about}：{f.message}" if about else f.message
        stream.write(f"::{f.severity.value} {','.join(props)}::{_data(message)}\n")
    if not display.quiet:
        stream.write(summary_line(result) + "\n")
