"""What the bot says about the audit pack (`/export audit-pack`) and what `voc import ledger` says of a
bad file, in English and Chinese."""
from __future__ import annotations

LEDGER_MESSAGES: dict[str, dict[str, str]] = {
    "report.pack_refused": {"en": "The audit pack holds every customer's records, 8Ds and the audit trail: only the quality "
                                  "manager (or above, per the policy's `reports.audit_pack_roles`) may export it.",
                            "zh": "审核资料包包含所有客户的记录、8D报告和操作记录，只有品质经理（或政策 `reports.audit_pack_roles` "
                                  "规定的更高职位）可以导出。"},
    "export.pack_coming": {"en": "Preparing the audit pack from {first} to {last}; it comes to you by DM.",
                           "zh": "正在生成 {first} 至 {last} 的审核资料包，稍后私信发给您。"},
    "export.pack_comment": {"en": "The audit pack, {first} to {last}: {count} record(s), {eightds} 8D(s), "
                                  "{open} open nonconformity(ies).",
                            "zh": "审核资料包，{first} 至 {last}：共 {count} 条记录，{eightds} 份8D，{open} 项未关闭的不符合项。"},
}

# `voc import ledger`: each problem names its line and column (the header as the file writes it)
LEDGER_MESSAGES |= {
    "import.unknown_field": {"en": "mapping {column!r}: {value!r} is no field of the ledger (ref, received, customer, "
                                   "description, …, due:first_contact, ignore: docs/import.md)",
                             "zh": "映射“{column}”：“{value}”不是台帐字段（ref、received、customer、description……、"
                                   "due:first_contact、ignore，见 docs/import.md）"},
    "import.unknown_header": {"en": "line {line}, column {column!r}: not a column of the ledger (name it in a --mapping file, "
                                     "or map it to ignore)",
                              "zh": "第 {line} 行，列“{column}”：不是台帐的列（请在 --mapping 文件中指定，或映射为 ignore）"},
    "import.header_twice": {"en": "line {line}, column {column!r}: the same field as column {other!r}",
                            "zh": "第 {line} 行，列“{column}”：与列“{other}”是同一字段"},
    "import.header_missing": {"en": "line {line}: no column {column!r} (every row needs it)",
                              "zh": "第 {line} 行：缺少列“{column}”（每行都需要）"},
    "import.empty": {"en": "line {line}, column {column!r}: empty, and every item needs it",
                     "zh": "第 {line} 行，列“{column}”：为空，每条记录都需要填写"},
    "import.bad_moment": {"en": "line {line}, column {column!r}: {value!r} is not a date like 2026-11-03 or 2026-11-03 09:30",
                          "zh": "第 {line} 行，列“{column}”：“{value}”不是日期（如 2026-11-03 或 2026-11-03 09:30）"},
    "import.bad_quantity": {"en": "line {line}, column {column!r}: {value!r} is not a whole number of pieces (300, 300 pcs)",
                            "zh": "第 {line} 行，列“{column}”：“{value}”不是整数数量（如 300、300 pcs）"},
    "import.bad_kind": {"en": "line {line}, column {column!r}: {value!r} is not a kind (complaint, suggestion, inquiry, praise)",
                        "zh": "第 {line} 行，列“{column}”：“{value}”不是类型（投诉、建议、咨询、表扬）"},
    "import.bad_category": {"en": "line {line}, column {column!r}: {value!r} is not a category (quality, delivery, technical, "
                                  "commercial, service, other)",
                            "zh": "第 {line} 行，列“{column}”：“{value}”不是类别（质量、交付、技术、商务、服务、其他）"},
    "import.bad_severity": {"en": "line {line}, column {column!r}: {value!r} is not a level (AA, A or B)",
                            "zh": "第 {line} 行，列“{column}”：“{value}”不是等级（AA、A 或 B）"},
    "import.bad_urgency": {"en": "line {line}, column {column!r}: {value!r} is not an urgency (normal, urgent, very urgent)",
                           "zh": "第 {line} 行，列“{column}”：“{value}”不是紧急程度（一般、紧急、特别紧急）"},
    "import.bad_yes_no": {"en": "line {line}, column {column!r}: {value!r} is not yes, no or not known",
                          "zh": "第 {line} 行，列“{column}”：“{value}”应为 是、否 或 未知"},
    "import.bad_department": {"en": "line {line}, column {column!r}: {value!r} is no department of the policy",
                              "zh": "第 {line} 行，列“{column}”：“{value}”不是政策中的部门"},
    "import.bad_status": {"en": "line {line}, column {column!r}: {value!r} is not a status (Received … Closed, Withdrawn; "
                                "open, 结案, 未结案)",
                          "zh": "第 {line} 行，列“{column}”：“{value}”不是状态（已受理……已关闭、已撤回；结案、未结案）"},
    "import.closed_without_date": {"en": "line {line}, column {column!r}: closed, but no closing date",
                                   "zh": "第 {line} 行，列“{column}”：已关闭，但没有关闭日期"},
    "import.ref_twice": {"en": "line {line}, column {column!r}: {value} is on line {other} too",
                         "zh": "第 {line} 行，列“{column}”：{value} 在第 {other} 行也出现"},
    "import.ref_taken": {"en": "line {line}, column {column!r}: {value} is already an item of this desk",
                         "zh": "第 {line} 行，列“{column}”：{value} 已是本系统中的记录"},
    "import.level_of_kind": {"en": "line {line}, column {column!r}: only a complaint has a level above B (not {value})",
                             "zh": "第 {line} 行，列“{column}”：只有投诉的等级可高于 B（不能是 {value}）"},
    "import.status_of_kind": {"en": "line {line}, column {column!r}: this kind of item is never {value}",
                              "zh": "第 {line} 行，列“{column}”：此类型的记录不会处于“{value}”状态"},
    "import.in_future": {"en": "line {line}, column {column!r}: after now", "zh": "第 {line} 行，列“{column}”：晚于当前时间"},
    "import.before_received": {"en": "line {line}, column {column!r}: before the item was received",
                               "zh": "第 {line} 行，列“{column}”：早于接收时间"},
    "event.imported": {"en": "imported from the earlier ledger", "zh": "从原台帐导入"},
    "event.imported.closed": {"en": "closed (as the earlier ledger records)", "zh": "已关闭（据原台帐）"},
    "event.imported.withdrawn": {"en": "withdrawn (as the earlier ledger records)", "zh": "已撤回（据原台帐）"},
    "import.imported_before": {"en": "line {line}: this file ({column}) was imported before",
                               "zh": "第 {line} 行：此文件（{column}）已导入过"},
}
