"""Machine output; the shape is documented in docs/output.md and only ever grows."""

from __future__ import annotations

import json
from typing import Any, TextIO

from qingdan import __version__
from qingdan.findings import ValidationResult
from qingdan.reporters.display import Display

SCHEMA_VERSION = 1


def as_dict(result: ValidationResult) -> dict[str, Any]:
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "qingdan", "version": __version__},
        "summary": {
            "files": result.files,
            "items": result.items,
            "errors": result.errors,
            "warnings": result.warnings,
        },
        "findings": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "message": f.message,
                "file": f.location.file,
                "line": f.location.line,
                "column": f.location.column,
                "item": f.item,
                "field": f.field,
                "path": f.path,
                **(
                    {"sheet": f.location.sheet, "cell": f.location.cell} if f.location.sheet else {}
                ),
            }
            for f in result.findings
        ],
    }


def render(result: ValidationResult, stream: TextIO, display: Display) -> None:
    """Machine output is whole whatever ``--quiet`` says: a program reads every key."""
    json.dump(as_dict(result), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
