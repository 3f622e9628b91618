from domain.extraction import extract
from domain.text import language_of, normalize, normalize_name, split_customer, summarize


def test_customer_is_the_text_before_the_first_colon():
    assert split_customer("Geely Ningbo: connectors don't fit") == ("Geely Ningbo", "connectors don't fit")
    assert split_customer("吉利宁波：连接器装不上") == ("吉利宁波", "连接器装不上")


def test_colons_in_emoji_urls_and_times_are_not_the_separator():
    assert split_customer(":fire: BYD: parts late") == (":fire: BYD", "parts late")
    assert split_customer("see http://x.y/z for details") == (None, "see http://x.y/z for details")
    assert split_customer("meeting at 10:30 about the late parts") == (None, "meeting at 10:30 about the late parts")
    assert split_customer("BYD: call at 10:30") == ("BYD", "call at 10:30")


def test_no_customer_when_the_prefix_is_not_a_name():
    assert split_customer("no colon here") == (None, "no colon here")
    assert split_customer(": only body") == (None, ": only body")
    assert split_customer("x" * 100 + ": body")[0] is None
    assert split_customer("Geely:") == ("Geely", "")


def test_words_about_the_message_before_the_colon_name_nobody():
    # where it came from or what it is, not whose: no customer is made of them
    for prefix in ("转发客户邮件", "客戶電話", "跟客戶開完會的紀錄", "Please record", "transport damage",
                   "Customer complaint, no name given - 'Batch #2298, P/N 3321-8", "Valeo buyer just emailed, pasting it here",
                   "Spoke to the buyer at Denso this morning about it"):
        assert split_customer(f"{prefix}: 件号 66410-05 不良35 pcs")[0] is None, prefix
    assert split_customer("Denso Tianjin: 件号 66410-05 不良")[0] == "Denso Tianjin"


def test_normalisation_folds_width_script_and_case():
    assert normalize("客戶 ＬＩＮＥ　Stopped") == "客户 line stopped"
    assert normalize_name("Geely-Ningbo") == normalize_name("geely ningbo") == "geelyningbo"
    assert normalize_name("寧波吉利") == normalize_name("宁波吉利")


def test_language_and_summary():
    assert language_of("连接器 cracked") == "zh" and language_of("cracked") == "en" and language_of("123") is None
    assert summarize("First sentence. Second one.") == "First sentence."
    assert len(summarize("x" * 500)) == 140


def test_extraction_of_parts_lots_and_quantities():
    ex = extract("P/N CN-4410-B lot 23-1107: 300 pcs rejected, also HX2231")
    assert ex.part_numbers == ("CN-4410-B", "HX2231") and ex.lot_numbers == ("23-1107",)
    assert (ex.quantity, ex.quantity_unit) == (300, "pcs")
    ex = extract("料号：AB-778，批号 2311-07，数量1,200件")
    assert ex.part_numbers == ("AB-778",) and ex.lot_numbers == ("2311-07",) and ex.quantity == 1200
    assert extract("23-1107批连接器装不上").lot_numbers == ("23-1107",)
    assert extract("nothing here").as_dict() == {"part_numbers": [], "lot_numbers": [], "quantity": None,
                                                 "quantity_unit": None, "checked_quantity": None, "quantity_text": None,
                                                 "line_state": None, "line_stopped": False}
