"""The one-line summary every reporter ends with."""

from qingdan.findings import ValidationResult


def summary_line(result: ValidationResult) -> str:
    head = f"检查了 {result.files} 个文件、{result.items} 个事项"
    if not result.findings:
        return f"{head}：没有发现问题。"
    return f"{head}：{result.errors} 个错误，{result.warnings} 个警告。"
