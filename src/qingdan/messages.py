"""Every finding code, its severity and its Chinese wording: the only place wording lives.

Codes are a contract (JSON output, docs/findings.md, ``--select``/``--ignore``, inline
suppressions): never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qingdan.findings import Finding, Location, Severity

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True, slots=True)
class Message:
    severity: Severity
    title: str
    template: str


CURLY_QUOTES_HINT = (
    "值两边的{quotes}是中文引号（Word、WPS 自动换成的弯引号），YAML 不把它们当作引号，引号成了内容的一部分。"
    '请改成英文引号"{inner}"，或去掉引号。'
)
"""Said of a value wrapped in curly quotes: a text warning, or added to a pattern or choice
finding."""


CATALOG: dict[str, Message] = {
    # --- reading the file -------------------------------------------------------------------
    "file.unreadable": Message(
        E, "文件无法读取", "无法读取文件：{reason}。请检查文件是否存在、是否有读取权限。"
    ),
    "file.too-large": Message(
        E,
        "文件过大",
        "文件大小 {size} 超过上限 {limit}，为防止耗尽内存未读取。请把清单拆分成多个文件。",
    ),
    "file.empty": Message(E, "文件为空", "文件是空的（或只有注释）。请填写内容，或删除这个文件。"),
    "file.binary": Message(
        E, "不是文本文件", "{what}，不是 YAML 文本文件。请只把 .yaml 清单文件放在清单目录中。"
    ),
    "file.encoding": Message(E, "文件编码不是 UTF-8", "{detail}"),
    "file.not-a-list": Message(
        E,
        "不是清单文件",
        "这个文件不是清单文件：{detail}。清单文件应以 kind（清单类型）、unit（镇街）和 items（事项）开头。",
    ),
    # --- YAML -------------------------------------------------------------------------------
    "yaml.syntax": Message(E, "YAML 语法错误", "YAML 语法错误：{detail}"),
    "yaml.duplicate-key": Message(
        E,
        "字段重复",
        "字段“{key}”在同一处重复出现（第一次在第 {first} 行）。YAML 只会保留最后一个值，请删除或合并重复的字段。",
    ),
    "yaml.alias": Message(
        E,
        "使用了锚点或别名",
        "清单文件不允许使用锚点和别名（&、*、<<）：第 {line} 行的内容被重复引用。请把内容直接写出来。",
    ),
    "yaml.tag": Message(
        E, "不支持的标签", "不支持 YAML 标签“{tag}”，该值未被读取。请去掉标签，直接写文本。"
    ),
    "yaml.complex-key": Message(E, "字段名不是文本", "字段名必须是简单文本，这里却是{what}。"),
    "yaml.too-deep": Message(
        E,
        "嵌套层级过深",
        "嵌套层级超过 {limit} 层，为防止程序崩溃未读取。清单文件的正常层级不超过 6 层，请检查括号和缩进。",
    ),
    "yaml.number-too-long": Message(
        E,
        "数字位数过多",
        "这里有一个 {digits} 位的数字，超过了能读取的上限（{limit} 位），文件未读取。"
        "如果它是编号等文本，请加上英文引号；否则请改正这个数字。",
    ),
    "yaml.implicit-type": Message(
        E,
        "未加引号的值被读成了其他类型",
        '“{text}”没有加引号，YAML 工具会把它读成{yaml_type}（{shown}），而这里要填文本。请加上引号："{text}"。',
    ),
    "yaml.fullwidth-colon": Message(
        E,
        "字段名后用了全角冒号",
        "字段名“{key}”后面用了全角冒号“：”，YAML 认不出这个字段。"
        "字段名后面要用英文冒号加一个空格：请改成“{key}: ”（切换到英文输入法再输入冒号）。",
    ),
    "yaml.fullwidth-space": Message(
        E,
        "冒号后用了全角空格",
        "“{key}:”后面是全角空格“　”，YAML 只认半角空格。"
        "请把它换成一个半角空格（按 Shift+空格 可在全角和半角之间切换）。",
    ),
    "yaml.fullwidth-indent": Message(
        E,
        "缩进中有全角空格",
        "这一行开头的缩进里有全角空格“　”，YAML 只认半角空格。请删除全角空格，"
        "改用半角空格与同一级的字段对齐（按 Shift+空格 可在全角和半角之间切换）。",
    ),
    "yaml.trailing-space": Message(
        E,
        "行末有全角空格",
        "这一行末尾有全角空格“　”（常见于从 Word、WPS 或网页粘贴的内容），YAML 读不懂引号或括号后面的它。"
        "请删除行末的空格。",
    ),
    "yaml.fullwidth-dash": Message(
        E,
        "列表项用了全角减号",
        "列表项开头的“{char}”是全角减号或破折号，YAML 认不出这个列表项。请改成英文减号加一个空格“- ”。",
    ),
    "yaml.bom": Message(
        E,
        "文件中间有看不见的 BOM 字符",
        "这一行第 {column} 列有一个看不见的字符 U+FEFF（BOM，字节顺序标记），"
        "通常是把另一个文件的内容粘贴进来时带进来的，YAML 读不懂它。"
        "请把光标放在这一行第 {column} 列（记事本窗口底部显示行号和列号），按一次 Delete 键删除它。",
    ),
    # --- JSON Schema ------------------------------------------------------------------------
    "schema.required": Message(E, "缺少必填字段", "缺少必填字段“{title}”（{key}）。"),
    "schema.unknown-field": Message(E, "未知字段", "未知字段“{key}”。{hint}"),
    "schema.empty": Message(E, "字段为空", "“{title}”不能为空，请填写内容。"),
    "schema.type": Message(E, "类型不对", "“{title}”应为{expected}，实际是{actual}。"),
    "schema.enum": Message(E, "不是可选值", "“{title}”不能填“{value}”，可选值：{choices}。{hint}"),
    "schema.const": Message(E, "取值不对", "“{title}”应为“{expected}”，实际是“{value}”。"),
    "schema.pattern": Message(E, "格式不对", "“{title}”的格式不对：“{value}”。{hint}"),
    "schema.length": Message(E, "长度不符", "“{title}”{detail}。"),
    "schema.items": Message(E, "项数不符", "“{title}”{detail}。"),
    "schema.range": Message(E, "数值超出范围", "“{title}”{detail}。"),
    "value.missing": Message(
        W,
        "内容待补充",
        "“{title}”标为“{note}”，还没有填写。请查实后填写；确实没有的，按字段说明填写“无”或删除这个字段。",
    ),
    "schema.format": Message(
        E, "日期格式不对", "“{title}”应为日期，写成 2026-03-02 这样的形式，实际是“{value}”。"
    ),
    "schema.invalid": Message(E, "不符合清单格式", "“{title}”不符合清单格式：{detail}"),
    # --- list set structure -----------------------------------------------------------------
    "config.invalid": Message(E, "配置有误", "{detail}"),
    "list.unknown-kind": Message(
        E,
        "未知清单类型",
        "清单类型“{kind}”不在本清单集使用的类型中（{known}）。请检查 kind 字段或 qingdan.yaml 的 kinds。",
    ),
    "registry.duplicate": Message(
        E,
        "部门名录重复",
        "部门名录中“{name}”重复（第一次在第 {first} 行）。部门的编码、全称、简称和别名都必须唯一。",
    ),
    "category.duplicate": Message(
        E, "类别编码重复", "类别编码“{code}”重复（第一次在第 {first} 行）。"
    ),
    "category.missing-tree": Message(
        E, "缺少类别树", "清单类型“{kind}”没有类别树：请创建 {tree}，列出该清单的类别（领域）。"
    ),
    # --- office rules (DOMAIN.md §4) --------------------------------------------------------
    "rule.code-pattern": Message(
        E, "事项编码不符合规则", "事项编码“{code}”不符合本清单的编码规则（例如 {example}）。"
    ),
    "rule.duplicate-code": Message(
        E,
        "事项编码重复",
        "事项编码“{code}”在{unit}已被使用（{other}）。同一镇（街道）的事项编码必须唯一，新事项请使用新编码。",
    ),
    "rule.duplicate-name": Message(
        E,
        "事项名称重复",
        "事项名称“{name}”在{unit}的{kind}中重复（另见 {other}）。请合并事项或修改名称。",
    ),
    "rule.similar-name": Message(
        W,
        "事项名称仅标点或全半角不同",
        "事项名称“{name}”与“{other_name}”（{other}）只有标点或全角/半角不同，很可能是同一事项。请统一名称或合并事项。",
    ),
    "rule.code-reused": Message(
        W,
        "同一编码对应不同事项",
        "事项编码“{code}”在{unit}叫“{name}”，在{other_unit}叫“{other_name}”（{other}）。"
        "事项编码一经发布不得用于其他事项；若确为不同事项，请使用新编码。",
    ),
    "rule.unknown-department": Message(
        E, "部门未登记", "“{title}”中的“{value}”不在部门名录中。{hint}"
    ),
    "rule.department-type": Message(
        E, "部门类型不符", "“{title}”应填写{expected}，而“{value}”在部门名录中是{actual}。"
    ),
    "rule.unknown-category": Message(
        E, "类别不存在或不唯一", "“{title}”中的“{value}”{problem}。{hint}"
    ),
    "rule.document-number": Message(
        E, "文号括号不规范", "文号“{value}”的{problem}，应使用六角括号〔〕，写作“{fixed}”。"
    ),
    "rule.term-end": Message(
        E, "阶段性事项缺少结束日期", "{term}事项必须写明结束日期（term.end），到期自动退出清单。"
    ),
    "rule.expired": Message(
        W, "事项已到期", "该事项的期限已于 {end} 结束，应当退出清单（或办理延期并更新结束日期）。"
    ),
    "admission.missing": Message(
        E,
        "清单外新增事项没有准入记录",
        "这个事项是在上级清单之外新增的，但没有写明准入记录（{key}）。"
        "清单外的事项须经准入审批后才能进入清单。",
    ),
    "admission.unknown": Message(
        E,
        "准入记录不存在",
        "准入记录“{id}”在 admissions/ 中找不到。已有的准入记录：{known}。",
    ),
    "admission.not-approved": Message(
        E,
        "准入记录尚未批准",
        "准入记录“{id}”的状态是“{status}”，还没有批准；批准（审批、进入）后事项才能进入清单。",
    ),
    "admission.expired": Message(
        E,
        "准入事项已退出",
        "这个事项所依据的{term}准入记录“{id}”{why}，事项应当退出清单。",
    ),
    "admission.expiring": Message(
        W,
        "准入事项即将到期",
        "这个事项所依据的{term}准入记录“{id}”将于 {end} 到期（还有 {days} 天），到期后事项退出清单。",
    ),
    "admission.duplicate-id": Message(
        E,
        "准入编号重复",
        "准入编号“{id}”已在 {first} 使用；每项准入记录的编号必须不同。",
    ),
    "rule.time-limit": Message(
        W,
        "承诺时限长于法定期限",
        "承诺时限（{promised} 个工作日）长于法定期限（{legal} 个工作日）。承诺时限应不超过法定期限。",
    ),
    "rule.lead-not-main": Message(
        E,
        "牵头部门未承担主体责任",
        "牵头部门“{lead}”没有列入“主体责任”。牵头部门承担兜底责任，必须是主体责任部门之一。",
    ),
    "rule.responsibility-drift": Message(
        W,
        "疑似将主体责任下压给镇街",
        "镇（街道）配合职责中出现“{word}”，读起来像是主体责任。属地管理事项中镇街只承担配合责任"
        "（巡查发现、及时报告、劝阻、协助等），严禁以属地管理名义将责任下压。",
    ),
    "rule.township-main-share": Message(
        W,
        "镇街主体责任事项占比偏高",
        "{count} / {total} 个属地管理事项（{share}）由镇（街道）承担主体责任（{codes}），超过 {limit}。"
        "主体责任通常应由县级部门承担，请逐项复核。",
    ),
    # --- derived lists (DOMAIN.md §5) ------------------------------------------------------
    "derive.no-base": Message(
        E,
        "找不到上级清单",
        "找不到“{unit}”的{kind}：本清单集和上级清单集（qingdan.yaml 的 base）中都没有。请检查 from 中的单位名称。",
    ),
    "derive.cycle": Message(
        E, "派生关系循环", "清单的派生关系形成了循环：{chain}。一份清单不能直接或间接以自己为基础。"
    ),
    "derive.base-loop": Message(
        E,
        "上级清单集循环",
        "上级清单集形成了循环：{chain}。清单集不能直接或间接以自己为上级，请改正 base.path。",
    ),
    "derive.broken-base": Message(
        E,
        "上级清单有错误",
        "上级清单 {file} 无法读取或有错误，无法在它的基础上派生。请先校验并修正它。",
    ),
    "derive.unknown-code": Message(
        E,
        "上级清单中没有这个事项",
        "要{op}的事项“{code}”不在上级清单中。请核对事项编码；本级新增的事项请写在 add 中。",
    ),
    "derive.twice": Message(
        E, "同一事项写了两次", "事项“{code}”在“{op}”中出现了两次，请合并为一处。"
    ),
    "derive.modify-omitted": Message(
        E,
        "修改了未采用的事项",
        "事项“{code}”没有被采用（不在 take 中，或已列入 omit），不能再修改它。",
    ),
    "derive.set-code": Message(
        E,
        "事项编码不能修改",
        "事项“{code}”的编码不能修改：编码一经发布就不再改变。确需新编码时，请在 omit 中不采用旧事项，在 add 中增加新事项。",
    ),
    "derive.unknown-field": Message(
        E,
        "修改了不存在的字段",
        "{kind}的事项没有字段“{field_name}”。可修改的字段：{known}。",
    ),
    "derive.code-taken": Message(
        E,
        "新增事项的编码与上级清单重复",
        "新增事项的编码“{code}”已被上级清单（或本文件中前面的新增事项）使用。个性化事项请使用本级自己的编码段。",
    ),
    "derive.local-code": Message(
        E,
        "新增事项的编码不在本级编码段内",
        "新增事项的编码“{code}”不符合本级个性化事项的编码规则“{pattern}”（derive.codes）。",
    ),
    "derive.bad-codes": Message(
        E,
        "个性化事项编码规则无效",
        "个性化事项编码规则“{pattern}”不是有效的正则表达式，请检查括号和转义符。",
    ),
    "derive.base-changed": Message(
        W,
        "上级改了本级修改过的字段",
        "事项“{code}”的“{field_name}”本级修改过，而上级清单后来改了这个字段：记录的上级原值是“{recorded}”，"
        "上级现在是“{current}”。请核对本级的修改是否还合适，然后把 base 中的上级原值更新为上级现在的内容。",
    ),
    "derive.base-unset": Message(
        W,
        "记录了未修改字段的上级原值",
        "事项“{code}”的 base 中记录了“{field_name}”的上级原值，但 set 中没有修改这个字段。请删除这一项，或在 set 中写出本级的值。",
    ),
    "derive.base-missing": Message(
        E,
        "上级清单集不存在",
        "qingdan.yaml 中 base 的上级清单集“{path_}”不存在，或其中没有 qingdan.yaml。",
    ),
    "derive.base-findings": Message(
        E,
        "上级清单集有错误",
        "本清单集所依据的上级清单集 {folder} 有 {errors} 个错误、{warnings} 个警告，派生的清单可能因此不完整。"
        "请运行 qingdan validate {folder} 查看并修正（或校验整个清单集）。",
    ),
    "derive.edition": Message(
        W,
        "上级清单已发布新版",
        "本清单集依据的是上级的“{ours}”，而上级清单集现在是“{theirs}”。请运行 qingdan rebase 查看上级的变化并更新。",
    ),
    # --- change records and approvals (DOMAIN.md §6) ---------------------------------------
    "change.expired-listed": Message(
        E,
        "到期事项仍在清单中",
        "“{name}”所依据的准入记录“{id}”{why}，事项已退出，却仍在清单中。退出也是清单的调整："
        "请删去这个事项，并在调整记录中写一条“取消”。",
    ),
    "change.bad-code": Message(
        E,
        "调整记录中的事项编码不符合规则",
        "调整记录中的事项编码“{code}”不符合任何清单的编码规则（例如 {examples}）。",
    ),
    "change.uncovered": Message(
        E,
        "变化没有调整记录",
        "{unit}{kind}的事项“{name}”{change}（{detail}），但没有调整记录说明这项变化。"
        "清单的每一处变化都要有经批准的调整记录：请在 {records} 中补充调整记录；"
        "运行 qingdan check --base {base} --draft {records}草稿.yaml 可以为每处变化起草一条，"
        "说明见 qingdan explain change.uncovered。",
    ),
    "change.unused": Message(
        E,
        "调整记录中的事项没有变化",
        "调整记录写明要{type}事项“{code}”，但与 {base} 相比，{scope}这个事项没有任何变化。"
        "请核对事项编码，或确认清单已按批准的内容修改。"
        "如果清单的修改已经提交、这条记录是之后单独提交的，那么这项变化已经包含在 --base 版本 {base} 中："
        "请用修改之前的版本作为 --base（例如 {base}~1），或把记录和清单的修改放在同一次提交中。",
    ),
    "change.placeholder": Message(
        E,
        "调整记录中还有待填写的内容",
        "“{title}”还是草稿中的“{placeholder}”：请填写实际内容。"
        "调整理由和批准信息（批准机关、文号、日期）填写完整之后，调整记录才能说明变化。",
    ),
    "change.derive-word": Message(
        E,
        "调整类型用了派生清单的说法",
        "调整类型“{word}”是派生清单（derive）中的说法，调整记录中请写“{type}”"
        "（调整类型：新增、取消、调整、收回、下放、类别变更、更名）。",
    ),
    "change.type-mismatch": Message(
        W,
        "调整类型与实际变化不符",
        "调整记录把事项“{code}”记为“{recorded}”，而实际变化是“{actual}”。请核对调整类型。",
    ),
    "change.fields-mismatch": Message(
        W,
        "调整了记录之外的字段",
        "事项“{code}”修改了调整记录未列出的字段：{fields}（记录列出的是：{declared}）。",
    ),
    "derive.reason-placeholder": Message(
        E,
        "理由还没有填写",
        "{op}的理由还是“{placeholder}”（qingdan import xlsx --derive-from 留下的占位）：请写明为什么{op}。",
    ),
    # --- workbooks read by qingdan import xlsx (docs/import.md) -----------------------------
    "import.hidden-sheet": Message(
        W,
        "隐藏的工作表未读入",
        "工作表“{sheet}”是隐藏的，没有读入。要读入它，请在 Excel 或 WPS 中取消隐藏后再导入。",
    ),
    "import.no-header": Message(
        W,
        "工作表中找不到表头",
        "工作表“{sheet}”中找不到含有{kinds}等列名的表头行，没有读入。"
        "如果它是清单，请检查列名，或在 qingdan.yaml 的 import.aliases 中写明列名对应的字段。",
    ),
    "import.unknown-column": Message(
        W,
        "列名对应不到字段",
        "列“{title}”对应不到{kind}的任何字段（或与前面的列重复），这一列没有读入。"
        "请改用清单的列名，或在 qingdan.yaml 的 import.aliases 中写明它对应的字段。",
    ),
    "import.cell": Message(
        E,
        "单元格无法读入",
        "单元格的内容“{value}”不能读作“{title}”：{reason}。请修改这个单元格。",
    ),
    "import.number-cell": Message(
        W,
        "号码存成了数字",
        "“{title}”存成了数字 {value}（不是文本），开头的 0 可能已经丢失。"
        "请把这一列的单元格格式设为“文本”后重新填写号码（如 0{value}）。",
    ),
    "import.code-made": Message(
        W,
        "已生成事项编码",
        "这一行没有事项编码，已按编码规则生成“{code}”。请核对，编码发布后不能再改。",
    ),
    "import.no-code": Message(
        E,
        "事项没有编码",
        "这一行没有事项编码，也无法按编码规则生成。请填写事项编码，例如 {example}。",
    ),
    # --- inline suppressions (docs/output.md) ---------------------------------------------
    "suppress.unused": Message(
        W,
        "注释没有消除任何问题",
        "注释“# qingdan: ignore[{code}]”没有消除任何问题：这一行没有“{code}”问题。"
        "问题已经改正的，请删除这个注释（或其中的这个代码）。",
    ),
    # --- text hygiene (DOMAIN.md §4.6) ------------------------------------------------------
    "text.ascii-punctuation": Message(
        W,
        "中文中使用了半角标点",
        "中文文本中使用了半角标点“{char}”：“{excerpt}”。请改为全角“{fixed}”。",
    ),
    "text.fullwidth-alnum": Message(
        W,
        "使用了全角数字或字母",
        "文本中有全角数字或字母“{char}”：“{excerpt}”。数字和字母请使用半角。",
    ),
    "text.space": Message(W, "多余的空格", "文本中有多余的空格：“{excerpt}”。{detail}"),
    "text.traditional": Message(
        W, "混用了繁体字", "文本中有繁体字或异体字“{chars}”：“{excerpt}”。清单统一使用规范简体字。"
    ),
    "text.invisible": Message(
        W,
        "文本中有看不见的字符",
        "文本中有{name}：“{excerpt}”。它通常是复制粘贴时带进来的，会让查找和比对出错，请删除。",
    ),
    "text.curly-quotes": Message(W, "值两边是中文弯引号", CURLY_QUOTES_HINT),
    "book.missing-glyph": Message(
        E,
        "字体中没有这个字",
        "“{title}”中的{chars}在字体“{font}”中没有，印出来会是空白框。",
    ),
}

AUDIT_CODES = frozenset(
    {"change.uncovered", "change.unused", "change.type-mismatch", "change.fields-mismatch"}
)
"""Reported only by ``check``: they need a base version to compare with."""

YAML_PROBLEMS: tuple[tuple[str, str], ...] = (
    # (what libyaml says, what the user reads): the first match wins
    (
        "mapping values are not allowed",
        "这里不能出现“字段: 值”。常见原因：值里有英文冒号加空格，请给整个值加上引号，或改用中文冒号“：”。",
    ),
    (
        "did not find expected key",
        "缩进没有对齐，或缺少“字段:”。请检查这一行和上一行的缩进（只能用空格）。",
    ),
    ("did not find expected '-' indicator", "列表项的缩进不一致，请检查各个“- ”是否对齐。"),
    (
        "found character '\\t' that cannot start any token",
        "这里有制表符（Tab）。YAML 缩进只能用空格。",
    ),
    ("found a tab character", "这里有制表符（Tab）。YAML 缩进只能用空格。"),
    (
        "found character that cannot start any token",
        "这里的字符不能作为值的开头（例如 @、`、% 或 Tab）。请给这个值加上引号。",
    ),
    ("found undefined alias", "这里引用了不存在的锚点（*）。清单文件不允许使用锚点和别名。"),
    ("could not find expected ':'", "缺少“:”。字段名后面要跟英文冒号和一个空格。"),
    ("found unexpected end of stream", "文件意外结束：可能有引号或括号没有闭合。"),
    ("did not find expected node content", "这里缺少内容，或多了一个标点。"),
    (
        "found unknown escape character",
        "双引号中的反斜杠“\\”后跟了不认识的字符。请改用单引号，或把“\\”写成“\\\\”。",
    ),
    ("control characters are not allowed", "文件中有不可见的控制字符，请删除。"),
    ("found unexpected ':'", "这里多了一个英文冒号。含冒号的值请加上引号。"),
    ("expected <block end>", "缩进层级不对：这一行的缩进和上面的内容对不上。"),
    ("expected a single document", "一个清单文件只能有一个 YAML 文档（不要用“---”分隔多个文档）。"),
    ("found duplicate anchor", "锚点名重复。清单文件不允许使用锚点和别名。"),
)


def finding(
    code: str,
    location: Location,
    /,
    *,
    item: str | None = None,
    field: str | None = None,
    path: str = "",
    **values: Any,
) -> Finding:
    """Build a finding from the catalog; a missing template value is a bug and raises."""
    msg = CATALOG[code]
    return Finding(
        code=code,
        severity=msg.severity,
        message=msg.template.format(**values),
        location=location,
        item=item,
        field=field,
        path=path,
    )
