"""The demo company's Slack workspace, matching the default policy's channels, groups and managers."""
from __future__ import annotations

from domain.policy import Policy
from slack_emulator.workspace import Workspace

# handle -> (user id, real name, Slack locale, department)
PEOPLE = {
    "sales-li": ("U0SALESLI", "Li Na (Sales)", "zh-CN", "sales"),
    "sales-emma": ("U0SALESEMMA", "Emma Stone (Sales)", "en-US", "sales"),
    "sales-liu": ("U0SALESLIU", "Liu Yang (Sales manager)", "zh-CN", "sales"),
    "quality-wang": ("U0QMWANG", "Wang Jun (Quality manager)", "zh-CN", "quality"),
    "quality-zhou": ("U0QZHOU", "Zhou Min (Quality engineer)", "zh-CN", "quality"),
    "production-zhao": ("U0PRODZHAO", "Zhao Lei (Production)", "zh-CN", "production"),
    "engineering-chen": ("U0ENGCHEN", "Chen Tao (Engineering)", "en-US", "engineering"),
    "purchasing-sun": ("U0PURSUN", "Sun Hui (Purchasing)", "zh-CN", "purchasing"),
    "gm-huang": ("U0GMHUANG", "Huang Wei (General manager)", "zh-CN", None),
}
SALES_FLOOR = ("C0SALESFLOOR", "sales-floor")
# The same people as Chinese readers see them (name and title).
NAMES_ZH = {
    "sales-li": "李娜（销售）", "sales-emma": "Emma Stone（销售）", "sales-liu": "刘洋（销售经理）",
    "quality-wang": "王军（品质经理）", "quality-zhou": "周敏（品质工程师）", "production-zhao": "赵磊（生产部）",
    "engineering-chen": "陈涛（技术部）", "purchasing-sun": "孙慧（资材部）", "gm-huang": "黄伟（总经理）",
}


def person_name(handle: str, lang: str) -> str:
    """A demo person's name and title in the reader's language."""
    return NAMES_ZH.get(handle, PEOPLE[handle][1]) if lang == "zh" else PEOPLE[handle][1]


def demo_workspace(policy: Policy, now=None) -> Workspace:
    ws = Workspace(now=now) if now else Workspace()
    for handle, (uid, real, locale, _dept) in PEOPLE.items():
        ws.add_user(uid, handle, real, locale=locale)
    everyone = [uid for uid, *_ in PEOPLE.values()]
    ws.add_channel(SALES_FLOOR[0], SALES_FLOOR[1], everyone + [ws.bot_user])
    for key, dept in policy.departments.items():
        members = [uid for uid, _r, _l, d in PEOPLE.values() if d == key]
        if dept.channel:
            ws.add_channel(dept.channel, f"voc-{key}", members + [ws.bot_user])
        if dept.usergroup:
            ws.add_usergroup(dept.usergroup, key, dept.name.en, members)
    # Where the policy sends its reports (the managers' channel), with the managers in it.
    managers = [uid for handle, (uid, *_rest) in PEOPLE.items() if handle.startswith(("gm-", "quality-wang", "sales-liu"))]
    managers += [d.manager for d in policy.departments.values() if d.manager]
    schedules = (policy.reports.weekly, policy.reports.monthly, policy.reports.annual)
    for cid in dict.fromkeys(r.channel for s in schedules for r in s.to if r.channel):
        if cid not in ws.channels:
            ws.add_channel(cid, "voc-managers" if cid == "C0MANAGERS" else cid.lower(),
                           list(dict.fromkeys(managers)) + [ws.bot_user])
    return ws
