"""The Teams face (issue 21): the Bot Framework's messaging endpoint (`edge.py`, its tokens checked by
`auth.py`), the intake of a message to the bot (`intake.py`), the connector client (`connector.py`),
the messaging boundary on Teams (`messaging.py`), Block Kit views as Adaptive Cards (`cards.py`),
and the outbox's senders for Teams rows (`senders.py`). Built on Microsoft's Agents SDK
(microsoft-agents-activity for the activity schema, microsoft-agents-hosting-core for token checks)."""
