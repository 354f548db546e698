"""JUnit XML, which GitLab, Jenkins and Azure show as a test report.

One test suite per file, one failing test case per error; a warning is a passing case with the
warning in its output (a warning does not fail the run), and a clean file is one passing case.
"""

from __future__ import annotations

from itertools import groupby
from typing import TextIO
from xml.etree import ElementTree as ET

from qingdan.findings import Finding, Severity, ValidationResult
from qingdan.present.visible import visible
from qingdan.reporters.display import Display
from qingdan.reporters.text import subject


def tree(result: ValidationResult) -> ET.Element:
    by_file = {
        file: list(group) for file, group in groupby(result.findings, key=lambda f: f.location.file)
    }
    for source in result.sources:
        by_file.setdefault(source, [])
    root = ET.Element("testsuites", name="qingdan")
    for file in sorted(by_file):
        _suite(root, file, by_file[file])
    _count(root, root.findall("testsuite"))
    return root


def _suite(root: ET.Element, file: str, findings: list[Finding]) -> None:
    suite = ET.SubElement(root, "testsuite", name=file)
    if not findings:
        ET.SubElement(suite, "testcase", name="没有发现问题", classname=file)
    for f in findings:
        case = ET.SubElement(suite, "testcase", name=f"{f.code} {f.location}", classname=file)
        about = subject(f)
        text = visible(
            f"{f.location} {about}：{f.message}" if about else f"{f.location} {f.message}"
        )
        if f.severity is Severity.ERROR:
            failure = ET.SubElement(case, "failure", message=visible(f.message), type=f.code)
            failure.text = text
        else:
            ET.SubElement(case, "system-out").text = f"{f.severity.label}：{text}"
    _count(suite, [suite])


def _count(element: ET.Element, suites: list[ET.Element]) -> None:
    cases = [case for suite in suites for case in suite.findall("testcase")]
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    element.set("errors", "0")


def render(result: ValidationResult, stream: TextIO, display: Display) -> None:
    root = tree(result)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode") + "\n")
