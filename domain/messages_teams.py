"""What the bot says on Microsoft Teams that it says differently from Slack (no slash commands
there: a message to the bot), in English and Chinese. Merged into domain/i18n.py's MESSAGES."""

TEAMS_MESSAGES: dict[str, dict[str, str]] = {
    "teams.usage": {"en": "Write `feedback Customer: what they said`, e.g. `feedback Geely Ningbo: connectors in lot "
                          "23-1107 don't fit, their line stopped`.",
                    "zh": "请输入“反馈 客户：反馈内容”，例如“反馈 吉利宁波：23-1107批连接器装不上，客户停线”。"},
    "teams.empty_body": {"en": "What did {customer} say? Add it after the colon: `feedback {customer}: what happened`.",
                         "zh": "{customer} 反馈了什么？请写在冒号后面：“反馈 {customer}：具体内容”。"},
    "teams.not_yet": {"en": "This is not available in Teams yet; use Slack for it for now.",
                      "zh": "Teams 中暂不支持此操作，请暂时在 Slack 中进行。"},
    # card actions (bot/teams/actions.py)
    "teams.action_taken": {"en": "{action} for {ref}: received. The card shows it in a moment.",
                           "zh": "{ref}：“{action}”已收到，卡片稍后更新。"},
    "teams.card_out_of_date": {"en": "This card was out of date, so nothing was done: here is {ref} as it stands now.",
                               "zh": "此卡片已过期，未执行任何操作。以下是 {ref} 的最新状态。"},
    "teams.not_a_person": {"en": "Teams did not say who you are, so nothing was done.",
                           "zh": "Teams 未提供您的身份，未执行任何操作。"},
}
