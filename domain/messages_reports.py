"""What the bot says in digests and reports, `/digest` and `/export`, in English and Chinese.
Merged into domain/i18n.py's MESSAGES."""

REPORT_MESSAGES: dict[str, dict[str, str]] = {
    # titles
    "report.title.week": {"en": "Weekly digest · {period} ({span})", "zh": "周报 · {period}（{span}）"},
    "report.title.month": {"en": "Monthly service report · {period}", "zh": "月度服务报告 · {period}"},
    "report.title.year": {"en": "Annual complaint and trend analysis · {period}", "zh": "年度顾客抱怨与趋势分析 · {period}"},
    "report.late": {"en": ":hourglass: Sent late: it was due {due} (the scheduler was not running then).",
                    "zh": ":hourglass: 补发：原定于 {due} 发送（当时调度程序未运行）。"},
    "report.so_far": {"en": "So far: up to {cut}.", "zh": "截至 {cut}。"},
    "report.quiet": {"en": ":sunny: Quiet week: nothing new, nothing closed, nothing overdue.",
                     "zh": ":sunny: 平静的一周：没有新反馈，没有关闭，没有逾期。"},
    # figures
    "report.new": {"en": "*New:* {total}", "zh": "*新增：* {total}"},
    "report.by_kind": {"en": "*By kind:* {list}", "zh": "*按类型：* {list}"},
    # the complaints among the new items (domain/reports/figures.py): the Paretos' and the trend's figure
    "report.complaints_by_severity": {"en": "*Complaints:* {total} · by severity: {list}", "zh": "*其中抱怨：* {total} · 按等级：{list}"},
    "report.by_category": {"en": "*Complaints by category:* {list}", "zh": "*抱怨按类别：* {list}"},
    "report.by_department": {"en": "*Complaints by department:* {list}", "zh": "*抱怨按部门：* {list}"},
    "report.open_overdue": {"en": "*Open:* {open} · *overdue:* {overdue}", "zh": "*未结：* {open} · *逾期：* {overdue}"},
    "report.closed": {"en": "*Closed:* {closed} · cycle time average {avg} d, longest {max} d",
                      "zh": "*已关闭：* {closed} · 处理周期 平均 {avg} 天，最长 {max} 天"},
    "report.closed_none": {"en": "*Closed:* 0", "zh": "*已关闭：* 0"},
    "report.repeats": {"en": "*Repeat occurrences:* {repeats}", "zh": "*重复发生：* {repeats}"},
    "report.on_time": {"en": "*On time:* {list}", "zh": "*按时完成率：* {list}"},
    "report.on_time_none": {"en": "*On time:* nothing fell due", "zh": "*按时完成率：* 本期无到期节点"},
    "report.top_customers": {"en": "*Top customers (complaints):* {list}", "zh": "*抱怨最多的客户：* {list}"},
    "report.overdue_list": {"en": "*Overdue* ({shown} of {total}):", "zh": "*逾期项目*（{shown}/{total}）："},
    "report.overdue_line": {"en": "{ref} {customer} — {milestone} was due {due} · owner: {owner}",
                            "zh": "{ref} {customer} — {milestone} 应于 {due} 完成 · 负责人：{owner}"},
    "report.nobody": {"en": "nobody yet", "zh": "暂无"},
    "report.compare_head": {"en": "*Compared* (this · previous · a year ago):", "zh": "*对比*（本期 · 上期 · 去年同期）："},
    "report.compare_head_prev": {"en": "*Compared* (this · previous):", "zh": "*对比*（本期 · 上期）："},
    "report.compare.new": {"en": "new", "zh": "新增"},
    "report.compare.closed": {"en": "closed", "zh": "关闭"},
    "report.compare.overdue": {"en": "overdue", "zh": "逾期"},
    "report.compare.repeats": {"en": "repeats", "zh": "重复"},
    "report.ppm": {"en": "*Return rate:* {ppm} ppm ({returned} returned of {shipped} shipped)",
                   "zh": "*退货率：* {ppm} ppm（退回 {returned} / 发货 {shipped}）"},
    "report.ppm_unknown": {"en": "*Return rate:* unknown (shipped quantities are not imported for every month of it: `voc import shipments`)",
                           "zh": "*退货率：* 未知（并非每个月都已导入发货数量：`voc import shipments`）"},
    "report.causes": {"en": "*Root causes (4M1E):* {list}", "zh": "*根本原因（4M1E）：* {list}"},
    "report.month_by_month": {"en": "*Month by month (complaints AA/A/B):*", "zh": "*逐月（抱怨 AA/A/B）：*"},
    "report.none": {"en": "none", "zh": "无"},
    "report.charts_comment": {"en": "Charts: {title}", "zh": "图表：{title}"},
    # chart titles and axes
    "chart.count": {"en": "Complaints", "zh": "抱怨数"},
    "chart.cumulative": {"en": "Cumulative share", "zh": "累计占比"},
    # a chart's title says what it counts, for whom and when (documents/report_charts.py)
    "chart.pareto_categories": {"en": "Complaints by defect category · {whom} · {period}", "zh": "抱怨类别柏拉图 · {whom} · {period}"},
    "chart.pareto_causes": {"en": "Root causes (4M1E) of complaints · {whom} · {period}", "zh": "抱怨根本原因（4M1E）柏拉图 · {whom} · {period}"},
    "chart.pareto_customers": {"en": "Complaints by customer · {whom} · {period}", "zh": "客户抱怨柏拉图 · {whom} · {period}"},
    "chart.others": {"en": "Others", "zh": "其他"},
    "chart.trend": {"en": "Complaints per month by severity · {whom} · {first} to {last}", "zh": "每月抱怨数（按等级）· {whom} · {first} 至 {last}"},
    "chart.on_time": {"en": "On-time rate per milestone (met of due) · {whom} · {period}", "zh": "各节点按时完成率（按时/到期）· {whom} · {period}"},
    "chart.whole_company": {"en": "all departments", "zh": "全公司"},
    "chart.target": {"en": "Target {target}", "zh": "目标 {target}"},
    "chart.pareto_mark": {"en": "80 % of complaints", "zh": "80% 抱怨"},
    # /digest and /export
    "digest.help": {"en": "`/digest week|month|year [department] [2026-W47|2026-11|2026] [post]` — the report now, "
                            "for you (or posted here with `post`).",
                    "zh": "`/digest week|month|year [部门] [2026-W47|2026-11|2026] [post]` —— 立即查看报告（加 `post` 则发到本频道）。"},
    "report.bad_request": {"en": "I can't make that report: {detail}", "zh": "无法生成该报告：{detail}"},
    "report.bad_period": {"en": "“{text}” is not a period I can report on: write it like {example} (not one still to come).",
                          "zh": "“{text}”不是可生成报告的期间：请写成 {example} 这样（不能是尚未开始的期间）。"},
    "report.post_refused": {"en": "Posting a report into a channel shows every customer's complaints there: only those "
                                  "who may export may post. `/digest` without `post` shows it to you alone.",
                            "zh": "将报告发到频道会公开所有客户的抱怨，只有有导出权限的人可以发布。不加 `post` 的 `/digest` 只给您自己看。"},
    "report.export_refused": {"en": "Exports hold every customer's complaints: only the quality manager, the general "
                                    "manager, department managers and admins may export them.",
                              "zh": "导出内容包含所有客户的抱怨，只有品质经理、总经理、部门经理和管理员可以导出。"},
    "export.help": {"en": "`/export ledger [2026-01-01 2026-12-31] [csv]` — the complaint ledger, sent to you by DM "
                            "(this year so far by default, XLSX unless you say csv). `/export audit-pack [2026-01-01 2026-12-31]` — "
                            "the audit pack (ledger, 8Ds, audit trail, reports, satisfaction, index by IATF clause) as a ZIP.",
                    "zh": "`/export ledger [2026-01-01 2026-12-31] [csv]` —— 顾客抱怨信息台帐，私信发给您（默认今年至今，XLSX 格式，可指定 csv）。"
                          "`/export audit-pack [2026-01-01 2026-12-31]` —— 审核资料包（台帐、8D、操作记录、报告、满意度、按IATF条款索引），ZIP 格式。"},
    "survey.help": {"en": "`/survey record <customer> <year>` — the yearly satisfaction survey (a form); "
                            "`/survey visit <customer> [2026-09-15]` a proactive visit; `/survey award <customer> [date]` a customer award.",
                    "zh": "`/survey record <客户> <年份>` —— 录入年度满意度调查（表单）；`/survey visit <客户> [2026-09-15]` 记录主动走访；"
                            "`/survey award <客户> [日期]` 记录客户嘉奖。"},
    "satisfaction.help": {"en": "`/satisfaction <customer> [year]` — the customer's satisfaction score with its breakdown.",
                          "zh": "`/satisfaction <客户> [年份]` —— 查看客户满意度得分及明细。"},
    "home.title": {"en": "VOC Desk", "zh": "VOC Desk 客户反馈"},
    "home.log": {"en": "Log feedback", "zh": "登记反馈"},
    "home.mine_button": {"en": "My items", "zh": "我的项目"},
    "home.digest_button": {"en": "This week's digest", "zh": "本周周报"},
    "home.mine": {"en": "*Your open items* ({total})", "zh": "*您的未结项目*（{total}）"},
    "home.queue": {"en": "*{departments} queue:* {total} open · {overdue} overdue",
                   "zh": "*{departments} 待办：* {total} 项未结 · {overdue} 项逾期"},
    "home.no_department": {"en": "You are in no department's queue.", "zh": "您不属于任何部门的待办队列。"},
    "home.weeks": {"en": "*New items per week*", "zh": "*每周新增*"},
    "home.more": {"en": "… and {more} more: `/complaints {scope}`", "zh": "…… 另有 {more} 项：`/complaints {scope}`"},
    "export.coming": {"en": "Preparing the ledger from {first} to {last}; it comes to you by DM.",
                      "zh": "正在生成 {first} 至 {last} 的台帐，稍后私信发给您。"},
    "export.comment": {"en": "The complaint ledger, {first} to {last}: {count} item(s).",
                       "zh": "顾客抱怨信息台帐，{first} 至 {last}：共 {count} 条。"},
}
