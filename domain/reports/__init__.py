"""Managers' numbers: periods in the company's time zone, and each period's figures as SQL
aggregates (docs/reports.md). Digests, charts and exports draw from these."""
