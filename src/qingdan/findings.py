"""Findings are data: what is wrong, where, and how bad. Reporters render them; nothing here prints."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file; line and column are 1-based, as editors show them.

    In a workbook ``sheet`` names the sheet, and line and column are the cell's row and column,
    so that a finding reads ``属地管理事项清单!C17`` as Excel and WPS name the cell."""

    file: str
    line: int = 0
    column: int = 0
    sheet: str = ""

    @property
    def cell(self) -> str:
        """``属地管理事项清单!C17`` (or just the sheet) in a workbook; empty elsewhere."""
        if not self.sheet:
            return ""
        if not self.line:
            return self.sheet
        return f"{self.sheet}!{column_letters(self.column)}{self.line}"

    def __str__(self) -> str:
        if self.sheet:
            return f"{self.file} {self.cell}"
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


def column_letters(column: int) -> str:
    """Excel's name of a 1-based column: 1 → A, 27 → AA."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters or "A"


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message: str
    location: Location
    item: str | None = None
    field: str | None = None
    path: str = ""

    def sort_key(self) -> tuple[str, str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.sheet, loc.line, loc.column, self.code, self.message)

    def to_tuple(self) -> tuple[object, ...]:
        """A plain tuple for the cache and for passing between processes cheaply."""
        loc = self.location
        return (
            self.code,
            self.severity.value,
            self.message,
            loc.file,
            loc.line,
            loc.column,
            self.item,
            self.field,
            self.path,
            loc.sheet,
        )

    @classmethod
    def from_tuple(cls, raw: list[object] | tuple[object, ...]) -> Finding:
        code, severity, message, file, line, column, item, fld, path, *sheet = raw
        return cls(
            code=str(code),
            severity=Severity(str(severity)),
            message=str(message),
            location=Location(
                str(file),
                int(line),  # type: ignore[call-overload]
                int(column),  # type: ignore[call-overload]
                str(sheet[0]) if sheet else "",
            ),
            item=None if item is None else str(item),
            field=None if fld is None else str(fld),
            path=str(path),
        )


@dataclass(slots=True)
class ValidationResult:
    """Everything one ``validate`` run found, in a stable order."""

    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    items: int = 0
    sources: list[str] = field(default_factory=list)
    """The files read, named as findings name them: reporters list the clean ones too, and inline
    suppressions are looked for in them."""

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    def merge(self, other: ValidationResult) -> None:
        """Add another run's findings and counts (a workbook validated beside list files)."""
        self.findings.extend(other.findings)
        self.files += other.files
        self.items += other.items
        self.sources.extend(other.sources)
        self.sort()

    def with_findings(self, findings: list[Finding]) -> ValidationResult:
        """The same run with other findings: what filters return, leaving this one as it was."""
        return replace(self, findings=findings)

    def sort(self) -> None:
        self.findings.sort(key=Finding.sort_key)

    def exit_code(self, *, strict: bool = False) -> int:
        """0 clean, 1 errors (or warnings under ``--strict``)."""
        if self.errors or (strict and self.warnings):
            return 1
        return 0
