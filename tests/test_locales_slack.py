"""The language a person is spoken to: Slack's locale, asked once an hour; a failed look-up is not kept."""
from __future__ import annotations

SALES_ZH = "U0SALESLI"  # zh-CN in the demo workspace; the demo policy's default language is English


def test_a_failed_locale_look_up_is_not_remembered_for_the_hour(harness):
    h = harness
    h.ws.fail_next("users.info", status=200, error="fatal_error")  # Slack refuses once (no retry helps)
    assert h.service.locales.resolve(SALES_ZH) == "en"  # the company's default, for this answer only
    calls = len(h.ws.calls)
    assert h.service.locales.resolve(SALES_ZH) == "zh"  # asked again, not an hour of English
    assert h.service.locales.resolve(SALES_ZH) == "zh" and len([c for c in h.ws.calls[calls:] if c.method == "users.info"]) == 1
