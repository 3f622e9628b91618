"""The complaint lifecycle, Slack-free: states, the transition table, who may do what, the
closure gate, the step records applied in a session, and the 8D report.

- `table`: the states and the one table of actions (from which states, to which state, who, what it needs)
- `view`: a read-only view of an item and its recorded steps (`load_view` builds it from a session)
- `permissions`: `decide`, the one pure function the buttons, commands, shell and tests ask
- `explain`: a refusal as a sentence in English or Chinese
- `gate`: what a quality complaint still lacks before it may close
- `apply`: `perform`, which checks with `decide` then writes step rows, audit events and met deadlines
- `eightd`: the 8D report assembled from the record (`documents/eightd_export.py` makes the PDF and XLSX)
"""
