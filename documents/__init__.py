"""Documents VOC Desk produces for people outside Slack (the 8D report as PDF and XLSX).

Slack-free: takes domain objects, returns bytes. fpdf2 and openpyxl live here, not in the domain.
"""
