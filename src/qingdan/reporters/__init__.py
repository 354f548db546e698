"""Reporters render a ``ValidationResult``; the ``--format`` choices come from this registry."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from qingdan.findings import ValidationResult
from qingdan.reporters import concise, github, gitlab, json_report, junit, sarif, text
from qingdan.reporters.display import Display

Reporter = Callable[[ValidationResult, TextIO, Display], None]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "concise": concise.render,
    "json": json_report.render,
    "github": github.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "gitlab": gitlab.render,
}

REVIEW_FORMATS: tuple[str, ...] = (*REPORTERS, "markdown")
"""``check``'s formats (REVIEWERS in review.py, which is slow to import): every validation format
and the pull-request summary."""

LABELS = {
    "text": "给人看",
    "concise": "每条问题一行",
    "json": "给程序读",
    "github": "GitHub Actions 注释",
    "sarif": "GitHub 代码扫描",
    "junit": "测试报告",
    "gitlab": "GitLab 代码质量",
    "markdown": "合并请求摘要",
}
"""What each format is for, in the ``--format`` help."""


def format_help(names: tuple[str, ...]) -> str:
    return "输出格式：" + "、".join(f"{name}（{LABELS[name]}）" for name in names) + "。"
