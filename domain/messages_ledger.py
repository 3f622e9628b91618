"""What the bot says about the audit pack (`/export audit-pack`), in English and Chinese."""
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
