"""Block Kit views as Adaptive Cards (bot/teams/cards.py): pure, no Teams needed."""
from __future__ import annotations

import uuid

from bot.teams import people
from bot.teams.cards import adaptive_card


def test_a_view_becomes_a_card_with_its_facts_and_a_teams_mention():
    person = people.person_id(str(uuid.uuid4()))
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": ":red_circle: *AA complaint — Geely*"}},
        {"type": "divider"},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "*Customer*\nGeely Ningbo"},
                                       {"type": "mrkdwn", "text": f"*Reporter*\n<@{person}>"}]},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "see <https://example.com/8d|the 8D>"}]},
        {"type": "actions", "elements": [{"type": "button", "action_id": "undo", "value": "7",
                                          "text": {"type": "plain_text", "text": "Undo"}}]},
    ]
    card = adaptive_card(blocks, name_of=lambda p: "Alice Chen" if p == person else None)
    title, facts, context = card["body"]
    assert title["text"] == "🔴 **AA complaint — Geely**"
    assert facts["separator"] is True and facts["facts"] == [{"title": "Customer", "value": "Geely Ningbo"},
                                                             {"title": "Reporter", "value": "<at>Alice Chen</at>"}]
    assert card["msteams"]["entities"] == [{"type": "mention", "text": "<at>Alice Chen</at>",
                                            "mentioned": {"id": people.aad_of(person), "name": "Alice Chen"}}]
    assert context["text"] == "see [the 8D](https://example.com/8d)" and context["isSubtle"] is True
    assert "actions" not in card  # buttons only once Teams' card actions are handled
    with_actions = adaptive_card(blocks, actions=True)
    assert with_actions["actions"] == [{"type": "Action.Execute", "title": "Undo", "verb": "undo",
                                        "data": {"action_id": "undo", "value": "7"}}]


def test_what_a_person_wrote_stays_text():
    written = "&lt;@U0BOSS&gt; see [click](https://evil.example) *now* &amp; then"  # as the views escape it
    [block] = adaptive_card([{"type": "section", "text": {"type": "mrkdwn", "text": written}}])["body"]
    assert block["text"] == "<@U0BOSS> see \\[click\\](https://evil.example) **now** & then"


def test_a_slack_user_group_becomes_the_departments_tag():
    card = adaptive_card([{"type": "section", "text": {"type": "mrkdwn", "text": "<!subteam^S0QUALITY> new AA"}}],
                         tag_of=lambda group: ("tag-1", "Quality") if group == "S0QUALITY" else None)
    assert card["body"][0]["text"] == "<at>Quality</at> new AA"
    assert card["msteams"]["entities"][0]["mentioned"] == {"id": "tag-1", "name": "Quality", "type": "tag"}


def test_person_ids_fit_a_slack_id_column_and_give_the_entra_id_back():
    aad = str(uuid.uuid4())
    person = people.person_id(aad)
    assert len(person) <= 32 and not person.startswith(("U", "W")) and people.aad_of(person) == aad


def test_a_messages_own_text_keeps_what_a_person_wrote_escaped():
    """Teams renders HTML in an activity's text (unlike a card's TextBlock): a typed link or <at> stays text."""
    from bot.teams.cards import Card

    written = "&lt;a href=\"https://evil.example\"&gt;click&lt;/a&gt; &lt;at&gt;Boss&lt;/at&gt; *now* &amp; then"
    assert Card().message_text(written) == written.replace("*now*", "**now**")
    assert Card().markdown("&lt;at&gt;Boss&lt;/at&gt;") == "<at>Boss</at>"  # a TextBlock shows it as typed
