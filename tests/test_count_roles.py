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
])
def test_the_role_of_each_count(text, defective, checked):
    found = extract(text)
    assert (found.quantity, found.checked_quantity) == (defective, checked)


@pytest.mark.parametrize("text, parts", [
    ("Denso: 4 of 60 samples failed salt spray, p/n 3Q0 959 455 B", ["3Q0 959 455 B"]),
    ("Phone me at 021-6888 1234 about part 5520-07", ["5520-07"]),
    ("23-12-04 到的货有问题,料号 7321-044", ["7321-044"]),
    ("Mindray说PCBA有cold solder, 整个lot 2406-B都要退货", []),  # a lot after a Chinese character, no part
])
def test_part_numbers_by_shape(text, parts):
    assert list(extract(text).part_numbers) == parts


@pytest.mark.parametrize("text, state", [
    ("他们不用停线,自己挑", "running"),
    ("The line keeps going with 100% sorting", "running"),
    ("Truck has 300 pcs on board, their line stops at 8 unless it arrives", "about_to_stop"),
    ("停线风险很高", "about_to_stop"),
    ("生产线被迫停了半小时,现在恢复生产", "stopped"),  # a stop that happened stays the fact
    ("客戶產線昨天因為線材短缺停了兩小時,今天已恢復,但要求賠償停線損失,不然要扣款。", "stopped"),  # the "不然" is the claim's
])
def test_line_state(text, state):
    assert extract(text).line_state == state
