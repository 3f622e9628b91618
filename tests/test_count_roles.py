"""Counts read by their role (domain/count_roles.py), on sentences written for this test (not from the
labelled sets): each pins one rule in English and Chinese."""
from __future__ import annotations

import pytest

from domain.extraction import extract


@pytest.mark.parametrize("text, defective, checked", [
    ("They received 2,000 brackets and rejected 35 for cracks", 35, 2000),  # a whole, and what is bad of it
    ("博世:来料500件,抽了50件,有3件尺寸超差", 3, 50),  # the inspected count over the delivered one
    ("客户说送来的800个里面有二十个毛刺", 20, 800),
    ("Customer found 2 cracked in the pull test out of 40 tested", 2, 40),
    ("比亚迪:检了两百个,全部不良", 200, 200),  # every piece of it bad
    ("1K0 615 301 AB and 1K0 615 301 AA mixed in one carton of 40, 5 wrong", 5, 40),
    ("BYD: 5% of the 10,000 pcs delivered show burrs", None, 10000),  # a rate of a whole: no bad count
    ("Chery: roughly 3 in every 100 pcs of 8801-20 have flash", None, None),
    ("Tomorrow morning the line stops unless we deliver 500 pcs of HX-220", None, None),  # goods to come
    ("They found 5 more, 14 in total now, lot 23-1118", 14, None),
    ("上百个卡扣断裂", None, None),  # vague, and no error from the numeral reader
    ("Magna: received 1,000 pcs, 980 OK, 20 NG", 20, 1000),  # a good count is not the bad one
    ("比亞迪:料號 HX-440 插拔力偏低,抽二十個兩個不合格", 2, 20),
    ("Geely Ningbo: we shipped 800 of 4410-22 last week; 16 came back cracked", 16, 800),
    ("客户来电:7321-044 有三个客户投诉,断裂", None, None),  # three customers, no pieces
    ("FYI from SVW: 3Q0 941 199 A clips, 7 broken at assembly", 7, None),
    ("Bosch: the sample of 32 had 2 failures at 85°C/85%RH", 2, 32),
    ("Geely QE: 0 defects found in the 500 re-inspected", 0, 500),
    ("Dana: 5520-07 has 4 pcs cracked, 5520-08 has 2 pcs bent; they checked 50 of each.", 6, 100),  # each part its count
    # round 2
    ("长安:上周到货料号6120-33共3000件,来料检验判退60件", 60, 3000),  # a whole, and what was rejected of it
    ("蔚来:共600件,来料检验发现卡扣断裂14件", 14, 600),  # what was found named between 发现 and its count
    ("Aptiv: 25 pcs measured, 25 NG on the bore", 25, 25),  # every one bad
    ("Lear: 3 out of 3 samples cracked at -40°C", 3, 3),
    ("Bosch: 12 NG out of 3k after the salt spray", 12, 3000),
    ("Valeo sorted 4 boxes x 150, NG 11 pcs, rest fine", 11, 600),  # boxes inspected, the bad said after NG
    ("蔚来:三箱每箱100個全檢,找出6個毛刺", 6, 300),
    ("Magna: 3 boxes 的 clip 都是 NG,每 box 80 pcs", 240, 240),
    ("Tesla: approx 3 boxes, 150 per box, of the wrong revision", 450, None),
    ("长城:两箱,每箱100个,全部孔位偏", 200, 200),  # 全部 + the defect: every piece
    ("蔚来:整批 600 pcs 全退", 600, 600),
    ("理想:卡扣开裂,每200件大概有5件", None, None),  # a rate in Chinese
    ("零跑:线停了,件号 HX-101 一个都没到", None, None),  # not a single one: no count
    ("Ford wants to pull in 3,000 pcs of 6120-44 to next week, no quality issue", None, None),  # an order, no defect
    ("长安来电:没什么问题,就是下个月要多供五千件", None, None),
    ("长安:周一前要再送500个", None, None),  # goods asked for, no defect
    ("Stellantis: re-sorted 1,200 pcs, zero defects", 0, 1200),  # none bad among those checked
    ("No new failures after they sorted 900 pcs", 0, 900),
    ("退pin 2%, total 8,000 pcs on hold", None, 8000),  # a rate of a total
    ("Valeo: 6120-11 burrs 5 pcs, 6120-12 rust 2 pcs, each sample 50 pcs", 7, 100),  # each sample over two parts
])
def test_the_role_of_each_count(text, defective, checked):
    found = extract(text)
    assert (found.quantity, found.checked_quantity) == (defective, checked)


@pytest.mark.parametrize("text, parts", [
    ("Denso: 4 of 60 samples failed salt spray, p/n 3Q0 959 455 B", ["3Q0 959 455 B"]),
    ("Phone me at 021-6888 1234 about part 5520-07", ["5520-07"]),
    ("23-12-04 到的货有问题,料号 7321-044", ["7321-044"]),
    ("Mindray说PCBA有cold solder, 整个lot 2406-B都要退货", []),  # a lot after a Chinese character, no part
    ("Brose: 3 pcs of 7715 arrived bent", ["7715"]),  # a short part named by "pcs of"
    ("Yanfeng: 6630 harness 还剩100 pcs", ["6630"]),
    ("长安:线束6631 少了两箱", ["6631"]),
    ("Bosch: 12 of 4000 harness connectors cracked", []),  # a round whole after a count is no part
    ("Valeo: only 4 pcs of 1000 leaked", []),
    ("From Aptiv: 'Part 6120-44, L2402-07: 3 bent'", ["6120-44"]),  # L + year-month + sequence is a lot
])
def test_part_numbers_by_shape(text, parts):
    assert list(extract(text).part_numbers) == parts


def test_a_dated_code_after_a_part_is_its_lot():
    found = extract("From Aptiv: 'Part 6120-44, L2402-07: 3 bent'")
    assert (found.part_numbers, found.lot_numbers) == (("6120-44",), ("L2402-07",))


@pytest.mark.parametrize("text, state", [
    ("他们不用停线,自己挑", "running"),
    ("The line keeps going with 100% sorting", "running"),
    ("Truck has 300 pcs on board, their line stops at 8 unless it arrives", "about_to_stop"),
    ("停线风险很高", "about_to_stop"),
    ("生产线被迫停了半小时,现在恢复生产", "stopped"),  # a stop that happened stays the fact
    ("客戶產線昨天因為線材短缺停了兩小時,今天已恢復,但要求賠償停線損失,不然要扣款。", "stopped"),  # the "不然" is the claim's
    # round 2
    ("长安:又停了。还是卡扣的问题", "stopped"),  # the subject left out
    ("Ford: stopped. The 6120 clips again.", "stopped"),
    ("Magna had to stop for an hour this morning, running now", "stopped"),  # a stop that ended is stopped
    ("they had to stop the sorting at noon", None),  # no line
    ("蔚来上周停过线,现在恢复了", "stopped"),
    ("Aptiv will stop the line tomorrow if the clips don't arrive", "about_to_stop"),
    ("They will stop on Monday if the parts do not arrive", "about_to_stop"),  # no "line" said
    ("Lear hasn't stopped yet but will on Friday.", "about_to_stop"),
    ("长安:现在还没停,周三就停", "about_to_stop"),
    ("理想:周四前要补200个,不然停线", "about_to_stop"),
    ("零跑:大概百分之三。不停线,但要派人挑", "running"),
    ("Brose: few pcs with burrs. No stop.", "running"),
    ("Line's running but they're reworking every part", "running"),
    ("Our production is not interrupted.", "running"),
    ("产线先用旧料撑着", "running"),
    ("線上先用庫存頂著", "running"),
    ("改善后线跑得挺顺,表扬一下", "running"),
    ("客户发现划伤,没停", "running"),
])
def test_line_state(text, state):
    assert extract(text).line_state == state
