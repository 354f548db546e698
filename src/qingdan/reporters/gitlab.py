"""GitLab Code Quality JSON, so a merge request shows findings in its widget and diff.

The fingerprint names the finding without its line, so an issue keeps its identity when lines
above it move, and GitLab can tell new issues from fixed ones between the two branches.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any, TextIO

from qingdan.findings import Severity, ValidationResult
from qingdan.reporters.display import Display
from qingdan.reporters.paths import repo_path
from qingdan.reporters.text import placed_subject

SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}


def issues(result: ValidationResult) -> list[dict[str, Any]]:
    seen: Counter[str] = Counter()
    out = []
    for f in result.findings:
        path = repo_path(f.location.file)
        identity = "\0".join((f.code, path, f.item or "", f.field or "", f.path, f.message))
        seen[identity] += 1  # the same finding twice in a file stays two issues
        about = placed_subject(f)
        out.append(
            {
                "type": "issue",
                "check_name": f.code,
                "description": f"{about}：{f.message}" if about else f.message,
                "severity": SEVERITY[f.severity],
                "fingerprint": _fingerprint(identity, seen[identity]),
                "location": {"path": path, "lines": {"begin": max(f.location.line, 1)}},
            }
        )
    return out


def _fingerprint(identity: str, occurrence: int) -> str:
    return hashlib.sha256(f"{identity}\0{occurrence}".encode()).hexdigest()


def render(result: ValidationResult, stream: TextIO, display: Display) -> None:
    stream.write(json.dumps(issues(result), ensure_ascii=False, indent=2) + "\n")
