"""SARIF 2.1.0, the format GitHub code scanning (and many editors) read.

Every finding code is a rule, described in Chinese from the shipped catalogue, so the code
scanning page explains a finding without a link to docs the reader may not have.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from qingdan import __version__
from qingdan.explanations import catalogue
from qingdan.findings import Finding, ValidationResult
from qingdan.reporters.display import Display
from qingdan.reporters.paths import repo_path
from qingdan.reporters.text import placed_subject

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/qingdan/qingdan"


def as_dict(result: ValidationResult) -> dict[str, Any]:
    entries = catalogue().entries
    index = {code: n for n, code in enumerate(entries)}
    rules = [
        {
            "id": e.code,
            "name": e.code,
            "shortDescription": {"text": e.title},
            "fullDescription": {"text": e.meaning or e.title},
            "help": {"text": f"{e.fix}\n\n运行 qingdan explain {e.code} 查看完整说明。"},
            "defaultConfiguration": {"level": e.severity.value},
        }
        for e in entries.values()
    ]
    driver = {
        "name": "qingdan",
        "version": __version__,
        "informationUri": INFORMATION_URI,
        "rules": rules,
    }
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index.get(f.code)) for f in result.findings],
            }
        ],
    }


def _result(f: Finding, rule_index: int | None) -> dict[str, Any]:
    about = placed_subject(f)
    location: dict[str, Any] = {"artifactLocation": {"uri": _uri(repo_path(f.location.file))}}
    if f.location.line and not f.location.sheet:
        location["region"] = {
            "startLine": f.location.line,
            "startColumn": max(f.location.column, 1),
        }
    out: dict[str, Any] = {
        "ruleId": f.code,
        "level": f.severity.value,
        "message": {"text": f"{about}：{f.message}" if about else f.message},
        "locations": [{"physicalLocation": location}],
    }
    if rule_index is not None:
        out["ruleIndex"] = rule_index
    return out


def _uri(path: str) -> str:
    """A relative path as a relative URI; a file outside the working folder as a file: URI."""
    shown = Path(path)
    return shown.as_uri() if shown.is_absolute() else quote(path)


def render(result: ValidationResult, stream: TextIO, display: Display) -> None:
    stream.write(json.dumps(as_dict(result), ensure_ascii=False, indent=2) + "\n")
