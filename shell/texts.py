"""The shell's own words (the bot's are in domain/i18n.py)."""
from __future__ import annotations

TEXTS = {
    "teams_look": {
        "en": "Drawn as Microsoft Teams shows it: each message as its Adaptive Card (buttons numbered; Slack's menus have no card yet).",
        "zh": "按 Microsoft Teams 的样子显示：每条消息显示为其 Adaptive Card（按钮编号；Slack 的菜单在卡片中暂无对应）。"},
    "welcome": {
        "en": "VOC Desk shell — a local Slack in your terminal. You are {user} in {channel}. Type /help for help.",
        "zh": "VOC Desk 终端 —— 终端里的本地 Slack。您当前是 {user}，位于 {channel}。输入 /help 查看帮助。"},
    "help": {"en": """Type what you would type in Slack:
  /feedback Customer: what they said    log feedback (/feedback alone opens the form)
  /complaint VOC-1 [history]            one item, or its audit trail
  /visit VOC-1                          its field-service visits, with the next step of each
  /digest week|month|year [post]        a report now;  /export ledger  the ledger by DM
  /survey record <customer> <year>      the satisfaction survey;  /satisfaction <customer>
  /customer <customer>                  the customer's record and open items (admins, the QM: Edit)
  /dm <text>                            tell the bot in a direct message
  <text>                                post in the current channel
  /thread <n> <text>                    reply in the thread of VOC-n
  /react <n> <emoji>                    react to VOC-n's thread
  <n>  or  /click <n>                   press button [n]
Shell:
  /as <person>    become someone else (/who lists the people)
  /open <channel> go to a channel (/channels lists them);  /home  your App Home
  /clock          show the virtual clock; /clock +25h, /clock +30m, /clock 2026-12-01 09:00 moves it
                  (a year at most; Ctrl-C stops a command, never the session)
  /lang en|zh     the shell's language          /quit  leave""",
             "zh": """像在 Slack 里一样输入：
  /feedback 客户: 反馈内容              登记反馈（只输入 /feedback 会打开表单）
  /complaint VOC-1 [history]            查看一条记录或其审计记录
  /visit VOC-1                          查看其现场服务及每次的下一步
  /digest week|month|year [post]        立即查看报告；/export ledger  台帐私信发给您
  /survey record <客户> <年份>          录入满意度调查；/satisfaction <客户>
  /customer <客户>                      客户档案及未结案件（管理员、品质经理可编辑）
  /dm <内容>                            私信机器人
  <内容>                                在当前频道发言
  /thread <n> <内容>                    在 VOC-n 的讨论串中回复
  /react <n> <表情>                     对 VOC-n 的讨论串做表情回应
  <n> 或 /click <n>                     点击按钮 [n]
终端：
  /as <人员>      切换身份（/who 列出人员）
  /open <频道>    进入频道（/channels 列出频道）；/home  应用主页
  /clock          显示虚拟时钟；/clock +25h、/clock +30m、/clock 2026-12-01 09:00 调整时间
                  （一次最多一年；Ctrl-C 停止当前命令，不会结束会话）
  /lang en|zh     终端语言                      /quit  退出"""},
    "you_are": {"en": "You are now {user} ({name}).", "zh": "您现在是 {user}（{name}）。"},
    "no_such_person": {"en": "No such person: {who}. /who lists them.", "zh": "没有此人：{who}。/who 可列出人员。"},
    "no_such_channel": {"en": "No such channel: {what}. /channels lists them.", "zh": "没有此频道：{what}。/channels 可列出频道。"},
    "in_channel": {"en": "You are in {channel}.", "zh": "您在 {channel}。"},
    "channels": {"en": "Channels:", "zh": "频道："},
    "people": {"en": "People:", "zh": "人员："},
    "no_choice": {"en": "There is no button [{n}].", "zh": "没有按钮 [{n}]。"},
    "thread_no_text": {"en": "Nothing to reply: write the reply after the number, /thread {n} containment done.",
                       "zh": "没有回复内容：请在编号后写回复，例如 /thread {n} 围堵已完成。"},
    "no_item": {"en": "There is no thread for VOC-{n} yet.", "zh": "VOC-{n} 还没有讨论串。"},
    "clock": {"en": "Virtual clock: {when} ({tz}).", "zh": "虚拟时钟：{when}（{tz}）。"},
    "clock_bad": {"en": "Use /clock +25h, /clock +30m, /clock +2d or /clock 2026-12-01 09:00.",
                  "zh": "用法：/clock +25h、/clock +30m、/clock +2d 或 /clock 2026-12-01 09:00。"},
    "clock_too_far": {"en": "The clock moves at most {days} days at a time: move it in steps (each day on the way is lived through).",
                      "zh": "时钟一次最多前进 {days} 天：请分步前进（途经的每一天都会逐一经历）。"},
    "clock_stopped": {"en": "Stopped (Ctrl-C): the clock stands where the last tick left it; what came is shown above.",
                      "zh": "已停止（Ctrl-C）：时钟停在最后一次处理的时刻；已发生的内容见上方。"},
    "interrupted": {"en": "Interrupted (Ctrl-C); the session goes on. Virtual clock: {when}.",
                    "zh": "已中断（Ctrl-C），会话继续。虚拟时钟：{when}。"},
    "ctrl_c_idle": {"en": "(Ctrl-C stops a running command; /quit or Ctrl-D leaves.)",
                    "zh": "（Ctrl-C 用于停止正在运行的命令；/quit 或 Ctrl-D 退出。）"},
    "modal": {"en": "Form: {title}  (Enter keeps [the value shown]; - clears it; /cancel closes the form)",
              "zh": "表单：{title}（回车保留[当前值]；输入 - 清空；/cancel 关闭表单）"},
    "modal_command": {"en": "A form is open: {cmd} is not an answer. Answer the question below, or type /cancel to close the form.",
                      "zh": "表单尚未关闭：{cmd} 不能作为回答。请回答下面的问题，或输入 /cancel 关闭表单。"},
    "modal_number": {"en": "A whole number from {low} to {high}, please.", "zh": "请填写 {low} 至 {high} 之间的整数。"},
    "modal_errors": {"en": "The form was not accepted:", "zh": "表单未通过："},
    "modal_closed": {"en": "Form closed.", "zh": "表单已关闭。"},
    "yes_no": {"en": "y/n", "zh": "是/否"},
    "yes": {"en": "y", "zh": "是"},
    "no": {"en": "n", "zh": "否"},
    "failed": {"en": "That did not work ({error}); the session goes on.", "zh": "操作失败（{error}），会话继续。"},
    "button_gone": {"en": "Button [{n}] is gone: its message was replaced. Use the buttons shown last.",
                    "zh": "按钮 [{n}] 已失效：所在消息已被替换。请使用最新显示的按钮。"},
    "clock_backwards": {"en": "The clock only moves forward (it is {when}); what was sent stays sent.",
                        "zh": "时钟只能向前（现在是 {when}）；已发送的消息无法撤回。"},
    "lang": {"en": "The shell speaks English (en). /lang zh switches to Chinese.",
             "zh": "终端当前语言：中文（zh）。/lang en 切换为英文。"},
    "lang_bad": {"en": "No language {code}: use /lang en or /lang zh.", "zh": "没有语言 {code}：请用 /lang en 或 /lang zh。"},
    "only_you": {"en": "only you can see this", "zh": "仅您可见"},
    "in_thread": {"en": "in thread", "zh": "讨论串回复"},
    "home": {"en": "App Home", "zh": "应用主页"},
    "files_saved": {"en": "(saved in {folder} until the shell exits)", "zh": "（已保存到 {folder}，退出后删除）"},
    "edited": {"en": "updated", "zh": "已更新"},
    "reacted": {"en": "{emoji} added to VOC-{n}.", "zh": "已对 VOC-{n} 添加 {emoji}。"},
    "unknown": {"en": "Unknown command {cmd}. /help lists them.", "zh": "未知命令 {cmd}。/help 查看命令。"},
    "demo_title": {"en": "VOC Desk demo — what the bot can do today", "zh": "VOC Desk 演示 —— 机器人目前的功能"},
    "demo_end": {"en": "End of the demo. Run `voc shell` to try it yourself.", "zh": "演示结束。运行 `voc shell` 亲自试试。"},
}


def say(key: str, lang: str, **params) -> str:
    entry = TEXTS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**params) if params else text
