"""Pull structured facts out of free text: part and lot numbers, the defective and the checked
quantity, and the state of the customer's line.

Precision first: a fact shown on a card must be one the person wrote. A code must contain a digit
("a lot of" has no lot number), a labelled list is read to its end ("P/N 12-345, 12-346 and
12-350"), a bare code is a part by its shape and place (`7321-044 插头壳体开裂`) but never a date, a
phone number, an order number or a count, and a quantity needs a count word or a unit ("20
connectors", "兩萬個", "1.5k pcs"), never a date, a time, a duration or a rate. "3 of 500" is 3
defective of 500 checked; "兩箱，每箱200條" is 400, kept with the words that said it. The line is
*stopped*, *about to stop* ("再不到就要停線了", "if … tonight the line stops") or *running* ("no line
stop yet"); a threat of a stop is never recorded as a stop. Measured on tests/data/extraction.jsonl
(docs/intake.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice


from domain.count_roles import EN_NUMBERS as _EN_NUMBERS, ZH_DIGITS as _ZH_DIGITS, aside_only, mentions, roles
from domain.count_roles import chinese_number  # noqa: F401  (read from here by domain/conversation.py)
from domain.count_roles import count as _count, number as _number
from domain.counts import allowed_count
from domain.text import fold

# A code has a digit before its first break: "lot 26-1015 and lot 26-1016" lists two codes, not "lot".
_CODE = r"(?=[A-Za-z\-_.]*\d)[A-Za-z0-9][A-Za-z0-9\-_.]*[A-Za-z0-9]|\d"
_SEP = r"\s*(?:,|，|、|/|;|；|&|\band\b|和|及|与)\s*"
_LIST = rf"((?:{_CODE})(?:{_SEP}(?:{_CODE}))*)"
# (?<![a-z]) rather than \b before the English labels: "整个lot 2406-B", "应该是PN 5520-A" (a Chinese
# character is a word character to \b).
_PART_LABEL = re.compile(
    r"(?:(?<![a-z])p/?n\b|(?<![a-z])p#|(?<![a-z])parts?\s*(?:no\.?|nos\.?|numbers?|num|#)|(?<![a-z])part\b|(?<![a-z])items?\s*(?:no\.?|#)|\bsku\b|"
    r"\bdrawing\s*(?:no\.?|#)?|\bdwg\b|料号|零件号|物料号|物料编码|零件编号|件号|图号|品番|型号|品号)"
    r"\s*[:#：.(（]?\s*" + _LIST, re.I)
_LOT_LABEL = re.compile(
    r"(?:(?<![a-z])lots?\s*(?:no\.?|nos\.?|numbers?|#)?|(?<![a-z])batch(?:es)?\s*(?:no\.?|number|#)?|\bdate\s*code|\bd/c\b|\bheat\s*(?:no\.?|#)?|"
    r"批号|批次号|批次|生产批号|炉号|卷号|日期码|这批|那批|该批|本批)"
    r"\s*[:#：.(（]?\s*" + _LIST, re.I)
# "23-1107批" — a lot written before the character for batch.
_LOT_BEFORE = re.compile(r"(?<![A-Za-z0-9\-])([A-Za-z0-9][A-Za-z0-9\-]*\d[A-Za-z0-9\-]*)\s*(?:批次|批(?!次|发|准|评|量))(?!\s*[:：#]?\s*[A-Za-z0-9])")
# "the 26-1122 lot is on hold": a lot written before the word.
_LOT_WORD_AFTER = re.compile(r"(?<![A-Za-z0-9\-])(\d[A-Za-z0-9]*-[A-Za-z0-9\-]*\d[A-Za-z0-9]*)\s+lot\b", re.I)
# A bare token that looks like a part number: letters and digits, 5+ characters, e.g. CN-4410-B, HX2231.
_BARE_PART = re.compile(r"(?<![A-Za-z0-9\-])(?=[A-Za-z0-9\-]*\d)(?=[A-Za-z0-9\-]*[A-Za-z])[A-Za-z]{1,5}-?\d[A-Za-z0-9\-]{2,}(?![A-Za-z0-9\-])")
# A bare all-digit code with a dash ("7321-044", "5520-01-B"): a part by its shape, unless it reads as
# a date, a phone number, a range of a count or a lot (the callers below rule those out).
_BARE_DIGITS = re.compile(r"(?<![A-Za-z0-9\-./])(?<!\d:)(\d{2,6}(?:-\d{2,6}){1,2}(?:-?[A-Za-z]{1,2}\d?)?|\d{3,6}-(?:\d|[A-Z]{1,2}\d?))"
                          r"(?![A-Za-z0-9\-]|[./:]\d)")  # also "7700-5", "60077-C": a variant after the dash
# A VW-group part number, written with spaces: "6Q1 820 021", "1K0 615 301 AA", "5Q0 199 555 T". Its
# first group has a letter (no phone number or count has one); read before anything else, whole.
_VW_PART = re.compile(r"(?<![A-Za-z0-9\-])(?=\d?[A-Z])\d[A-Z0-9]{2}\s\d{3}\s\d{3}(?:\s?[A-Z]{1,3})?(?![A-Za-z0-9\-])")
# A bare all-digit part number of 7 to 10 digits ("seal 88102345"): no count is written so without a
# unit, but an order, a phone number, a date (20231204) or a sum of money is, and is ruled out.
_BARE_NUMBER = re.compile(r"(?<![A-Za-z0-9\-./,#$¥])(?<!\d:)[1-9]\d{6,9}(?![A-Za-z0-9\-]|[./:,]\d)")
_CALENDAR = re.compile(r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_MONEY = re.compile(r"\s*(?:元|块|塊|yuan|rmb|usd|eur|dollars?)", re.I)
_DATE = re.compile(r"(?:19|20)\d{2}-\d{1,2}(?:-\d{1,2})?|\d{1,2}-\d{1,2}|\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])")  # 23-12-04
# Mobile, landline with its area code ("0512-5288 1100", "0912-345-678"), North American.
_PHONE = re.compile(r"1[3-9]\d-?\d{4}-?\d{4}|0\d{2,3}-\d{7,8}|0\d{2,3}[- ]\d{3,4}[- ]\d{3,4}|\d{3}-\d{3}-\d{4}")
# What follows a number that makes it a count or a range, not a code ("3-5 days", "10-20 pcs").
_AFTER_COUNT = re.compile(r"\s*(?:%|days?|hours?|h\b|weeks?|months?|pcs|pieces|units|mm|cm|件|个|個|天|小时|小時|周|月|号|號|日|点|點)", re.I)
# Words before a bare code that make it something other than a part: an order, an invoice, a phone.
_NOT_PART_BEFORE = re.compile(r"(?:\bpo|\border|\binvoice|\basn|\bdn|\btel|\bphone|\bcall|\bmobile|\bticket|\bcase|\bshipment|\bdelivery\s*note|"
                              r"订单|單號|单号|发票|电话|電話|手机|运单|送货单|合同)\s*(?:no\.?|number|#|号)?\s*[:#：]?\s*$", re.I)
_NOT_PARTS = {"8d", "ppap", "iatf", "iso9001", "16949", "cs1", "cs2", "pfmea", "dfmea"}

_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*([kK千万萬])?"  # "1,200", "1.5k"
_UNITS = r"pcs\.?|pc|pieces|piece|units|unit|sets|set|parts|boxes|box|cartons|pallets|reels|rolls|meters|件|个|個|只|套|台|片|支|箱|卷|米|根|条|條|块|塊|颗|顆|粒"
_CONTAINERS = r"boxes|box|cartons|carton|cases|pallets|pallet|reels|bags|trays|箱|盒|托|卷|袋|包|盘|盤"
# After a count word, what makes it no count of pieces: "两个小时", "一个早上", "两条线".
_NOT_PIECES_AFTER = r"(?!小时|小時|钟头|月|星期|礼拜|工作日|班|人|多小时|半小时|早上|上午|下午|晚上|白天|夜|晚|线|产线|生产线|客户|客戶)"
_QTY_UNIT = re.compile(rf"\s*(?:{_UNITS})(?![A-Za-z])", re.I)
_QTY = re.compile(rf"(?<![\d.A-Za-z\-/:])(?<!\d,){_NUMBER}\s*({_UNITS})(?![A-Za-z]){_NOT_PIECES_AFTER}", re.I)
_QTY_LABEL = re.compile(rf"(?:\bqty|\bquantity|数量|数目)\s*[:：]?\s*(?:~|about|approx\.?|约|大约)?\s*{_NUMBER}", re.I)
# "11 more, 14 in total": the total is the count.
# "Two hundred pcs": tried only where "hundred" or "thousand" is (the words are costly at every position).
_QTY_WORDS = re.compile(rf"\b((?:{'|'.join(_EN_NUMBERS)})\s+(?:hundred|thousand))()\s*({_UNITS})(?![A-Za-z])", re.I)
_TOTAL = re.compile(rf"{_NUMBER}\s+(?:pcs\s+|pieces\s+)?in\s+total", re.I)
_ZH_QTY = re.compile(rf"(?<![{_ZH_DIGITS}几多数第每])(?<!最后)([{_ZH_DIGITS}]+)\s*(件|个|個|只|套|台|片|支|箱|卷|根|条|條|块|塊|颗|顆|盒|托|袋|盘|(?i:pcs|pieces|sets|units|parts)(?![a-z])){_NOT_PIECES_AFTER}")  # 四百八十 sets
# "20 connectors": a count of a thing. Not a count: durations, rates, sizes, money, people.
_COUNTED = re.compile(r"(?<![\d.A-Za-z\-/:])(?<!\d,)(\d{1,3}(?:,\d{3})+|\d+)\s+(?:of\s+the\s+(?=\s{3}))?\s*(?:[a-z]+(?:ed|en|ty)\s+)?([a-z]{2,}[^su\W]s)\b", re.I)
# "1 cracked housing": a count with what is wrong with it, one or many.
_COUNTED_DEFECT = re.compile(r"(?<![\d.A-Za-z\-/:])(?<!\d,)(\d{1,3}(?:,\d{3})+|\d+)\s+(?:cracked|broken|bent|damaged|leaking|scratched|defective|deformed|rusty|loose)\s+[a-z]{3,}", re.I)
_NOT_COUNTED = {"days", "hours", "weeks", "months", "years", "minutes", "seconds", "mins", "hrs", "times", "percent",
                "ppms", "mms", "cms", "inches", "degrees", "people", "persons", "engineers", "operators", "shifts",
                "lines", "dollars", "yuan", "euros", "usd", "rmb", "trucks", "orders", "emails", "calls", "visits",
                "kgs", "tons", "lots", "batches", "samples", "cycles", "volts", "amps", "complaints", "cracks",
                "this", "does", "goes", "uses", "means", "makes", "takes", "needs"}  # words, not things counted
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?[kK](?![A-Za-z])|\d+|[{_ZH_DIGITS}]+|\b(?:{'|'.join(_EN_NUMBERS)})\b)"
_DEFECT = r"(?:bad|defective|defects?|failures?|ng|nok|rejects?|rejected|failed|cracked|broken|bent|damaged|leak\w*|wrong|scratched|out of spec)"

# Defective of checked, as people write it: "3 of 500", "3 out of 500", "3/500", "500 checked, 3 bad",
# "抽检500件，3件不良", "500个里有3个", "3 rejects in 500".
_ZH_PCS = r"(?:件|个|pcs|只|套|条|片|支|颗|根|箱|盒)"
_NOT_A_WHOLE = r"(?!\s*(?:%|days|hours|h\b|lots|batches|times|weeks|months))"
# Each with the words it needs, tried only where they are (the patterns are costly at every position).
_OF = [
    (("out of",), re.compile(rf"(?P<bad>{_NUM})\s*(?:[a-z]+\s+){{0,4}}?out\s+of\s*(?P<all>{_NUM}){_NOT_A_WHOLE}", re.I)),
    ((" of ",), re.compile(rf"(?P<bad>{_NUM})\s*(?:[a-z]+\s+){{0,2}}?of\s+(?:the\s+)?(?P<all>{_NUM}){_NOT_A_WHOLE}", re.I)),
    (("/",), re.compile(rf"(?<![\d/])(?P<bad>\d+)\s*/\s*(?P<all>\d{{3,}})(?![\d/]){_NOT_A_WHOLE}", re.I)),  # "3/500"; "1/3", "11/23" are no counts
    ((" in ",), re.compile(rf"(?P<bad>{_NUM})\s+(?:[a-z]+\s+){{0,2}}?(?=[a-z ]*{_DEFECT}|[a-z ]*pcs)(?:[a-z]+\s+){{0,2}}?in\s+(?P<all>{_NUM}){_NOT_A_WHOLE}", re.I)),
    (("out of",), re.compile(rf"out\s+of\s+(?P<all>{_NUM})[^,.;，。；]{{0,30}}[,，]\s*(?P<bad>{_NUM})", re.I)),
    (("checked", "inspected", "sorted", "tested", "screened", "received", "measured", "counted"),
     re.compile(rf"(?:checked|inspected|sorted|tested|screened|received|measured|counted)\s+(?:about\s+)?(?P<all>{_NUM})[^.;。；0-9]{{0,40}}?"
                rf"(?:found|,|and)\s*(?P<bad>{_NUM})(?![\d.]*\s*%)(?![\d,])(?!\s*(?:pcs\s*|pieces\s*)?(?:ok|good|passed|fine)\b)", re.I)),
    (("抽检", "抽查", "检查", "检验", "全检", "挑选", "筛选", "总共", "一共", "送检", "来料", "收到"),
     re.compile(rf"(?:抽检|抽查|检查|检验|全检|挑选|筛选|总共|一共|送检|来料|收到)了?\s*(?P<all>{_NUM})\s*{_ZH_PCS}?\s*[,，、]?\s*(?:中|里|里面|当中)?\s*"
                rf"(?:其中)?(?:有|发现|挑出来|挑出|不良|坏了)?\s*(?P<bad>{_NUM})\s*{_ZH_PCS}")),
    (("中", "里"), re.compile(rf"(?P<all>{_NUM})\s*{_ZH_PCS}?\s*(?:中|里|里面|当中)\s*(?:有|发现)?\s*(?P<bad>{_NUM})\s*{_ZH_PCS}")),
]
# "兩箱，每箱200條", "2 boxes of 200 pcs", "3 cartons x 500": containers times pieces each.
_PER_CONTAINER = [
    re.compile(rf"(?P<n>{_NUM})\s*(?P<box>{_CONTAINERS})\s*[,，]\s*(?P<each>{_NUM})\s*(?P<unit>{_UNITS})?\s*each", re.I),
    # "少了两箱，料号 6612-302，每箱60个": the pieces in each said later in the sentence
    re.compile(rf"(?P<n>{_NUM})\s*(?P<box>{_CONTAINERS})[^。.;；!?！？]{{0,30}}?每\s*(?:{_CONTAINERS})\s*(?P<each>{_NUM})\s*(?P<unit>{_UNITS})?", re.I),
    re.compile(rf"(?P<n>{_NUM})\s*(?P<box>{_CONTAINERS})\s*[,，]\s*(?P<each>{_NUM})\s*(?P<unit>{_UNITS})?\s*(?:per|a|each)\s+(?:{_CONTAINERS})\b", re.I),
    re.compile(rf"(?P<n>{_NUM})\s*(?P<box>{_CONTAINERS})\s*[,，]?\s*(?:每箱|每盒|每托|每卷|每袋|每包|每盘|每个|each\s+(?:of\s+)?|of\s+|x\s*|×\s*|\*\s*|\(\s*(?:each\s+)?)\s*(?P<each>{_NUM})\s*(?P<unit>{_UNITS}|[a-z]+)?(?:\s*each)?", re.I),
]
# "全部螺纹滑牙", "都是 NG": every piece has the defect named after 全部 (not 全部合格, 全部OK)
_ALL_BAD = re.compile(r"\ball\s+(?:of\s+them\s+)?(?:bad|ng|nok|defective|rejected|wrong|scrap\w*)|"
                      r"全部(?!\s*(?:合格|ok|良品|正常|好|没问题|沒問題))|都是?\s*(?:ng|nok|不良|坏|不合格)", re.I)
# "sorted 600 parts": a count after checking words is the checked count, not the defective one.
_CHECKED_ONLY = re.compile(rf"(?:checked|inspected|sort(?:ed|ing)?|screened|tested|counted|抽检|抽檢|抽验|抽查|全检|全檢|挑选|筛选|抽|检|檢)\s*了?\s*(?:about\s+)?(?P<all>{_NUM})", re.I)
# The defective count said beside worked-out boxes: "checked 2 boxes of 300 each, 45 cracked".
_BAD_COUNT = re.compile(rf"(?P<bad>{_NUM})\s+(?:[a-z]+\s+)?{_DEFECT}|\bfound\s+(?P<found>{_NUM})|(?:挑出|找出)(?:来)?\s*(?P<picked>{_NUM})|\bng\s*(?P<ng>{_NUM})|(?:不良|坏了?|有问题)\s*(?P<zh>{_NUM})|(?P<zh2>{_NUM})\s*{_ZH_PCS}\s*(?:不良|坏)", re.I)
_ANY_NUMBER = re.compile(rf"\d+|[{_ZH_DIGITS}]+|\b(?:{'|'.join(_EN_NUMBERS)})\b", re.I)  # a cheap first look
_CONTAINER_HINT = re.compile(_CONTAINERS, re.I)
_BOX_OF = re.compile(rf"(?:{_CONTAINERS}|lots?|batch(?:es)?)\s+of\b", re.I)
_CONTAINER_UNITS = set(_CONTAINERS.split("|")) | {"cartons", "pallets", "reels", "rolls"}
_APPROX = re.compile(r"(?:about|around|approx\.?|roughly|~|大概|大约|大約|约|約|左右|差不多)", re.I)

# ---- the state of the customer's line ----------------------------------------------------------
_STOP = (r"(?:line|production|assembly|plant|shift)[^,.;!?，。；！？\n]{0,20}?(?:stop|down|halt|shut|standstill)|stoppage|shut\s*down|shutdown|"
         r"stop(?:ped|s|ping)?\s+(?:on\s+)?(?:the\s+|their\s+|our\s+|its\s+)?(?:line|production)|line[- ]?stop|line\s*\S{0,2}停|"
         r"\bthey(?:'ve|\s+have)?\s+stopped(?=\s*(?:[!.,;]|$))|"
         # "had to stop" (of the line, for a while, or alone), an announced stop ("will stop if…", 周一就停), 停过线
         r"(?:had|has)(?<![a-z]had|[a-z]has)\s+to\s+stop(?=\s*(?:for\b|the\s+line|(?:the\s+)?production|[,.;!]|$))|"
         r"(?:will|'ll|going\s+to|gonna)\s+(?:have\s+to\s+)?stop\b(?!\s+(?:ship|send|deliver|us|using|buy|order|supply))|"
         r"[就会會]停(?=\s*(?:线|線|产|產|工|机|機|了|[,，。.!！]|$))|停(?:过|過|了)(?:线|線)|停线|停產|停产|线停|停机|停工|断线|停止生产|产线停|生产线停|线.{0,6}停")
_STOP_RE = re.compile(_STOP, re.I)
# A stop with its subject left out ("BYD: stopped.", "比亚迪:又停了。") and "not stopped yet but will":
# patterns that start with an assertion are tried at every position, so only where their words are.
_STOP_ELIDED = re.compile(r"(?:^|[:：]\s*)(?:line\s+)?stopped(?=\s*(?:[!.,;]|$))|(?:(?<=stopped yet but )|(?<=stopped yet, but ))(?:they\s+)?will\b|"
                          r"(?:^|[:：。，,!！]\s*)(?:又|已经|已|也)停了(?=\s*(?:[。.!！,，\n]|$))", re.I)
# A stop that has not happened: a condition, a threat, a countdown. Checked in the stop's clause.
_IMMINENT = re.compile(
    r"\b(?:will|would|going to|gonna|about to|could|may|might|risk|threat\w*|if|unless|otherwise|before|soon|close to|nearly|almost|"
    r"danger|imminent|verge|facing|tomorrow|tonight|next|or(?:\s+else)?)\b|(?:'ll)|(?<!早)就(?=停|断)|"
    r"要|就要|将|將|会|會|快|可能|面临|面臨|风险|風險|如果|否则|否則|再不|即将|即將|马上|馬上|眼看|恐怕|担心|擔心|随时|隨時|明天|明早|今晚|下周|下週")
# A near miss ("差点停线", "nearly stopped") did not stop the line: it runs.
_NO_STOP = re.compile(
    r"\b(?:no|not|n't|never|without|nor|avoid\w*|prevent\w*)\b|n't|没|沒|未|不会|不會|不用|不必|无需|无|無|避免|防止|差点|差一点|险些|(?<![停然])不(?=停)|"
    r"\b(?:nearly|almost)\s+(?:had\s+)?(?=stopped|shut|went|had|a\s+line)")
_RUNNING = re.compile(r"still running|line (?:is |keeps )?running|running (?:normally|fine|ok)|production continues|(?:are|is) running|"
                      r"no impact on (?:their |the )?production|production (?:is )?not affected|不影响生产|没有影响生产|没影响生产|未影响生产|"
                      r"还在生产|還在生產|正常生产|正常生產|生产正常|还在跑|產線正常|产线正常|线没停|線沒停|"
                      # "no line impact", "line is currently not affected", "线没受影响", "照常运转", "they're running on old stock"
                      r"no(?<![a-z]no)\s+(?:line\s+|production\s+)?impact|now\s+running|(?:line|production)[^,.;!?]{0,25}?not\s+(?:been\s+)?affected|"
                      r"(?:line|production)\s+(?:is\s+|keeps\s+)?running|'re\s+running|line\s+(?:is\s+)?(?:ok|fine)\b|"
                      r"(?:not|n't|never)\s+(?:been\s+)?(?:stopping|stopped|shut\s+down|gone\s+down)|"
                      r"(?:line|线|生产|产线)[^,，。.;；]{0,4}?(?:没|没有|未|不)(?:有)?受?(?:到)?影响|(?:line|线)\s*(?:还)?正常|照常(?:运转|生产|运行)|正常运(?:转|行)|"
                      r"还在[^,.;，。；]{0,8}跑|(?:line|线)\s*(?:没|没有)问题|(?:没|没有|未|不)影响到?(?:生产|产线|线)|运(?:行|转)正常|keeps?\s+(?:going|running)")  # on lower-cased text: re.I makes it slow
# "No stop.", "line's running", "not interrupted", "产线先用旧品撑着" (running on old or good stock),
# "跑得很顺", a bare "没停": tried only where their words are (on lower-cased text).
_RUNNING_MORE_HINT = re.compile(r"stop|running|interrupted|impacted|撑|撐|顶|頂|顺|順|没停|沒停|没有停|沒有停")
_RUNNING_MORE = re.compile(r"(?<![a-z\-])no\s+stop(?:page)?\b(?!\s+(?:ship|deliver))|line's\s+running|"
                           r"(?:line|production)[^,.;!?]{0,25}?not\s+(?:been\s+)?(?:interrupted|impacted)|"
                           r"(?:线|線)[^,，。.;；!！]{0,10}?(?:撑|撐|顶|頂)(?:着|著)|(?:跑|运行|運行|运转|運轉)得?(?:很|挺|非常|比较|比較)?(?:顺|順)|"
                           r"(?:^|[,，。:：\s])(?:还|還)?(?:没|沒)(?:有)?停(?:线|線)?(?=\s*(?:[,，。.!！]|$))")
# A stop only heard of, not said: "something about a line stop", "好像是停线的事" says nothing of the line.
_HEARSAY = re.compile(r"something\s+about|not\s+sure|好像|似乎|不确定|不清楚")
# No stop word, yet the stop is counted down: "three hours of stock left", "库存只够两天".
# Within a shift, as LABELING.md counts an imminent stop: stock for a day or more is stock at risk,
# not a stop about to happen ("库存只够两天" is running).
_COUNTDOWN = re.compile(r"(?:hours?|(?:a|one|half a)\s+shift)\s+of\s+(?:stock|inventory|parts)\s+left|"
                        r"stock\s+(?:for|lasts?)\s+(?:only\s+)?\S+\s+(?:hours?|shift)|runs?\s+out\s+(?:tonight|today|this\s+shift)|"
                        r"(?:库存|庫存|存货|存貨)(?:只|仅|僅|还|還)?(?:够|夠|能撑|能用|剩)[^,.;，。；]{0,6}(?:小时|小時|个班|個班|半个班|今晚|今天)", re.I)
_CLAUSE = re.compile(r"[,.;!?，。；！？\n]")
_SENTENCE_END = re.compile(r"[.;!?。；！？\n]")
# A condition earlier in the sentence makes the stop a threat: "如果今晚不到貨，夜班就停線".
_CONDITION = re.compile(r"\b(?:if|unless)\b|如果|要是|否则|否則|再不|不然")
# …or later in it: "their line stops at 8 unless it arrives" ("if" only after a stop not yet past:
# "the line stopped and they ask if we can sort" did stop).
_CONDITION_AFTER = re.compile(r"\bunless\b|除非|不然|否则|^\W{0,2}的?(?:风险|危险)|^\s*risk")  # "停线风险很高"
_CONDITION_AFTER_PRESENT = re.compile(r"\bif\b")
_CONDITION_OPENS = re.compile(r"\s*(?:unless|除非|不然|否则|否則)", re.I)
LINE_STATES = ("stopped", "about_to_stop", "running")


def line_state(text: str) -> str | None:
    """stopped | about_to_stop | running, or None when the text says nothing of the line. A negated
    stop ("no line stop", "还没停线") is running; a conditional or threatened one is about to stop."""
    return _line_state(fold(text))


# Words without which nothing is said of the line: a first look before the costly patterns.
_LINE_HINT = re.compile(r"stop|down|halt|shut|standstill|stock|inventory|running|continues|production|impact|affected|line|"
                        r"停|断线|库存|庫存|存货|生产|產|跑|影响|正常|运转|运行|没问题|撑|撐|顶|頂")


def _line_state(folded: str) -> str | None:
    lower = folded.lower()
    if not _LINE_HINT.search(lower):
        return None
    states = []
    stops = list(_STOP_RE.finditer(folded))
    if "stopped" in lower or "停了" in folded:
        stops += _STOP_ELIDED.finditer(folded)
    for m in stops:
        start = max((b.end() for b in _CLAUSE.finditer(folded, 0, m.start())), default=0)
        before = folded[start:m.start()].lower()
        sentence = folded[max((b.end() for b in _SENTENCE_END.finditer(folded, 0, m.start())), default=0):m.start()].lower()
        if _HEARSAY.search(before):
            continue
        if _NO_STOP.search(before[-14:] + m.group().lower()):
            states.append("running")
        elif _IMMINENT.search(before + m.group().lower()) or _CONDITION.search(sentence) or _condition_after(folded, m):
            states.append("about_to_stop")
        else:
            states.append("stopped")
    if _COUNTDOWN.search(folded):
        states.append("about_to_stop")
    if _RUNNING.search(lower) or (_RUNNING_MORE_HINT.search(lower) and _RUNNING_MORE.search(lower)):
        states.append("running")
    for state in LINE_STATES:  # the gravest thing said is what the card shows
        if state in states:
            return state
    return None


def _condition_after(folded: str, stop: re.Match) -> bool:
    """A condition in the stop's own clause, or opening the next one ("停线,除非今晚能到"); not one
    further on ("停了两小时,今天已恢复,但要求赔偿停线损失,不然要扣款" did stop)."""
    end = _CLAUSE.search(folded, stop.end())
    after = folded[stop.end():end.start() if end else len(folded)].lower()
    if end and _CONDITION_OPENS.match(folded, end.end()):
        return True
    return bool(_CONDITION_AFTER.search(after) or (not stop.group().lower().endswith(("ped", "down", "了"))
                                                    and _CONDITION_AFTER_PRESENT.search(after)))


@dataclass(frozen=True)
class Extracted:
    part_numbers: tuple[str, ...] = ()
    lot_numbers: tuple[str, ...] = ()
    quantity: int | None = None  # the defective (affected) count
    quantity_unit: str | None = None
    checked_quantity: int | None = None  # of how many checked ("3 of 500": 500)
    quantity_text: str | None = None  # the words, when the count was worked out ("大概兩箱，每箱200條")
    line_state: str | None = None  # stopped | about_to_stop | running | None (not said)

    @property
    def line_stopped(self) -> bool:
        return self.line_state == "stopped"

    def as_dict(self) -> dict:
        return {
            "part_numbers": list(self.part_numbers),
            "lot_numbers": list(self.lot_numbers),
            "quantity": self.quantity,
            "quantity_unit": self.quantity_unit,
            "checked_quantity": self.checked_quantity,
            "quantity_text": self.quantity_text,
            "line_state": self.line_state,
            "line_stopped": self.line_stopped,
        }


def _unique(items) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        item = item.strip(".-/")
        if item and item.upper() not in (s.upper() for s in seen):
            seen[item] = None
    return tuple(seen)


def _codes(match: re.Match) -> list[str]:
    """The codes of a labelled list; a code has a digit ("lot of" or "lot was" is no lot), and the
    codes after the first are shaped like it ("lot 26-1005 and 20 pcs": 20 is a count, not a lot)."""
    codes = [c for c in re.split(_SEP, match.group(1)) if any(ch.isdigit() for ch in c)]
    return codes[:1] + [c for c in codes[1:] if len(c) >= 3 and ("-" in c) == ("-" in codes[0])]


# Never part or lot numbers: links, e-mail addresses, @people and #channels (their ids and URL
# fragments look like codes; "batch #4471" is a number, no channel). Masked with spaces so positions stay.
# Bounded before "://" and "@": unbounded, a long run of letters was tried from every position (4,000
# letters took 0.9 s).
_NOT_FACTS = re.compile(r"\S{0,40}://\S+|[\w.+-]{1,64}@[\w-]+\.[\w.-]+|(?<![\w@#])(?:@|#(?!\d))[\w.-]+")


def without_links(text: str) -> str:
    """The text with links, e-mail addresses, @people and #channels blanked (same length): none of
    them is a part, a lot or a customer's name ("bob@geely.com" names nobody)."""
    return _NOT_FACTS.sub(lambda m: " " * len(m.group()), text)


def _quantity(text: str) -> tuple[int | None, str | None]:
    for m in _QTY.finditer(text):
        value = _count(m.group(1), m.group(2))
        if value is not None:
            return value, m.group(3).lower().rstrip(".")
    for m in _ZH_QTY.finditer(text):
        value = _count(m.group(1))
        if value is not None:
            return value, m.group(2)
    lower = text.lower()
    m = (("hundred" in lower or "thousand" in lower) and _QTY_WORDS.search(text)) or _QTY_LABEL.search(text) \
        or ("total" in lower and _TOTAL.search(text))
    if m and _count(m.group(1), m.group(2)) is not None:
        return _count(m.group(1), m.group(2)), None
    m = _COUNTED_DEFECT.search(text)
    if m:
        return _number(m.group(1)), None
    for m in _COUNTED.finditer(text):
        if m.group(2).lower() not in _NOT_COUNTED:
            return _number(m.group(1), None), m.group(2).lower()
    return None, None


def _of_checked(text: str) -> tuple[int, int] | None:
    """(defective, checked) when the text says both; the defective count is the smaller."""
    lower = text.lower()
    for words, pattern in _OF:
        if not any(w in lower for w in words):
            continue
        for m in pattern.finditer(text):
            bad, checked = _count(m.group("bad")), _count(m.group("all"))
            whole = bad == checked and words == ("out of",)  # "2 out of 2 samples fail": every one
            if bad and checked and (bad < checked or whole) and not _BOX_OF.search(m.group()):  # "one carton of 40" is no pair
                return bad, checked
    return None


def _per_container(text: str) -> tuple[int, str | None, str] | None:
    """"兩箱，每箱200條" → (400, 条, the words as written, with "about" when they said so)."""
    if not _CONTAINER_HINT.search(text):
        return None
    for pattern in _PER_CONTAINER:
        m = pattern.search(text)
        if m:
            n, each = _count(m.group("n")), _count(m.group("each"))
            if n and each and 1 < n < each:  # "one carton of 40" is 40, said as it is
                start = m.start()
                approx = _APPROX.search(text, max(0, start - 8), start)
                words = text[approx.start() if approx else start:m.end()].strip()
                unit = (m.group("unit") or "").lower() or None
                return n * each, unit, words
    return None


def _bare_digit_parts(folded: str, taken: list[tuple[int, int]]) -> list[str]:
    """All-digit codes with a dash that are parts by shape and place: not a date, a phone number,
    an order or invoice number, a range of a count, nor inside a lot or a labelled code."""
    found: list[str] = []
    if "-" not in folded:
        return found
    for m in _BARE_DIGITS.finditer(folded):
        code, start, end = m.group(1), m.start(1), m.end(1)
        if any(s <= start < e for s, e in taken) or _DATE.fullmatch(code) or _PHONE.match(folded, start):
            continue
        if _AFTER_COUNT.match(folded, end) or _NOT_PART_BEFORE.search(folded[max(0, start - 24):start]):
            continue
        groups = code.split("-")
        if len(groups) == 2 and all(len(g) <= 2 for g in groups):  # "3-5", "11-23": ranges and dates
            continue
        found.append(code)
    return found


def _bare_number_parts(folded: str, taken: list[tuple[int, int]]) -> list[str]:
    """All-digit part numbers of 7 to 10 digits: not a date, a phone, an order or a sum of money."""
    found: list[str] = []
    for m in _BARE_NUMBER.finditer(folded):
        start, end = m.span()
        if any(s <= start < e for s, e in taken) or _CALENDAR.fullmatch(m.group()) or _MONEY.match(folded, end) \
                or _AFTER_COUNT.match(folded, end) or _QTY_UNIT.match(folded, end) \
                or _NOT_PART_BEFORE.search(folded[max(0, start - 24):start]):
            continue
        found.append(m.group())
    return found


# A short all-digit part named by what it is: "2 pcs of 5520", "5530 harness", "线束5525".
_PART_NOUN_EN = r"harness(?:es)?|brackets?|housings?|hoses?|connectors?|terminals?|gaskets?|sensors?|clips?"
_PART_NOUN_ZH = r"线束|線束|支架|端子|壳体|殼體|接插件|连接器|連接器|胶管|膠管"
_NAMED_PART = re.compile(rf"(?:\b(?:pcs|pieces|units)\s+of\s+|(?:{_PART_NOUN_ZH})\s*)(\d{{4,6}})(?![\d\-.,/:]|\s*(?:pcs|pieces|件|个|個|%))|"
                         rf"(?<![\w\-.,/:])(\d{{4,6}})\s*(?:{_PART_NOUN_EN})\b", re.I)
_NAMED_HINT = re.compile(rf"pcs of|pieces of|units of|{_PART_NOUN_EN}|{_PART_NOUN_ZH}")
_OF_BEFORE = re.compile(r"\d\s*(?:pcs|pieces|units)?\s+of\s+(?:the\s+)?$", re.I)
_DATED_LOT = re.compile(r"L\d{2}(?:0[1-9]|1[0-2])-\d{1,3}", re.I)


def _named_parts(folded: str, taken: list[tuple[int, int]]) -> list[str]:
    """Short all-digit codes named as a part by the word beside them: not a year ("pcs of 2024"), nor
    a round whole after a count ("5 pcs of 1000", "12 of 4000 harness connectors")."""
    found: list[str] = []
    if not _NAMED_HINT.search(folded.lower()):  # a first look: the pattern is costly at every position
        return found
    for m in _NAMED_PART.finditer(folded):
        group = 1 if m.group(1) else 2
        code, start = m.group(group), m.start(group)
        whole = code.endswith("00") and _OF_BEFORE.search(folded, max(0, start - 30), start)
        if not any(s <= start < e for s, e in taken) and not re.fullmatch(r"(?:19|20)\d\d", code) and not whole:
            found.append(code)
    return found


def _quantities(folded: str) -> tuple[int | None, str | None, int | None, str | None]:
    """(defective, its unit, checked, the words a worked-out count came from), in `folded` text
    whose codes are masked."""
    if not _ANY_NUMBER.search(folded):  # no number at all: no count
        return None, None, None, None
    lower = folded.lower()
    if _ORDER_CHANGE.search(lower) and _NO_DEFECT.search(lower):  # "pull in 2,000 pcs, no quality issue"
        return None, None, None, None
    if "每" in folded or "一" in folded:
        folded = _NO_COUNT.sub(lambda m: " " * len(m.group()), folded)  # "每100件大概有3件", "一个都没到"
    quantity, unit, checked, said = _counts(folded)
    if _ZERO.search(lower) and (checked or quantity):  # "800 pcs zero defect", "no further failures after sorting 5,000"
        return 0, None, checked or quantity, None
    return quantity, unit, checked, said


# An order changed, not a defect: its quantity is no count of the complaint (with "no quality issue" said).
# (on lower-cased text, without re.I: every message passes here)
_ORDER_CHANGE = re.compile(r"pull(?:ed|ing)?[\s-]+in|提前|多供|加单|加單|追加|increase\s+the\s+order|more\s+(?:pcs\s+)?next\s+month")
_NO_DEFECT = re.compile(r"no\s+quality\s+(?:issue|problem)|nothing\s+wrong|not\s+a\s+quality|没什么问题|沒什麼問題|没有质量问题|不是质量问题|无质量问题")
# A rate in Chinese ("每100件大概有3件") and "not a single one" (一个都没到) say no count.
_NO_COUNT = re.compile(rf"每\s*{_NUM}\s*{_ZH_PCS}[^,，。.;；\d]{{0,6}}?{_NUM}\s*{_ZH_PCS}|一\s*(?:个|個|件|只|pcs)\s*(?:都|也)\s*(?:没|沒|不)", re.I)
# None bad among those checked: the defective count is 0.
_ZERO = re.compile(r"(?:zero(?<![a-z]zero)|no(?<![a-z]no)|0(?<![\w.,]0))\s+(?:further\s+|more\s+|new\s+)?(?:defects?|failures?|ng|nok|rejects?)\b|"
                   r"零缺陷|零不良|无不良|無不良|没有不良")
_CHECK_AFTER = re.compile(r"\s*(?:全检|全檢|抽检|抽檢|checked|inspected|sorted)", re.I)


def _counts(folded: str) -> tuple[int | None, str | None, int | None, str | None]:
    quantity, unit, checked, said = *_quantity(folded), None, None
    several = next(islice(_ANY_NUMBER.finditer(folded), 1, None), None) is not None  # one number: no pair, no boxes
    boxes = _per_container(folded) if several else None
    if boxes:  # worked out first: "2 boxes of 250 each" is 500, not 2 of 250
        quantity, unit, said = boxes
        rest = folded.replace(said, " " * len(said)) if said in folded else folded
        bad = _BAD_COUNT.search(rest)
        count = _count(next(g for g in bad.groups() if g)) if bad else None
        inspected = _CHECKED_ONLY.search(folded[:folded.find(said) + 1] + " 1") or _CHECK_AFTER.match(folded, folded.find(said) + len(said))
        if count and count < quantity and inspected:
            quantity, checked, unit = count, quantity, None
        elif _ALL_BAD.search(rest) or _ALL_BAD.search(said):  # "the 2 boxes of 250 … are all bad": 500 bad of 500
            checked = quantity
        return quantity, unit, checked, said
    pair = _of_checked(folded) if several else None
    if pair:
        return pair[0], unit if quantity in pair else None, pair[1], None
    found = mentions(folded)
    read = roles(found, folded)  # the words around each count: "received 5000 pcs … rejected 150"
    if read and (read[2] or quantity is None or (unit or "") in _CONTAINER_UNITS):  # "2 cartons …, 96 pcs scrapped"
        return read[0], unit if read[0] == quantity else None, read[1], None
    if quantity is not None and aside_only(found):  # stock, goods on the way: no count of the complaint
        return None, None, None, None
    only = _CHECKED_ONLY.search(folded)
    if only and quantity is not None and _count(only.group("all")) == quantity:
        return None, None, quantity, None
    return quantity, unit, None, None


# "100 of each", 各抽了50件: a checked count said once for every part.
_EACH = re.compile(r"\bof\s+each\b|\beach\s+sample|各", re.I)


def _per_part(folded: str, spans: list[tuple[int, int]]) -> int | None:
    """Two or more parts, each with its own count after it in its sentence ("4410-09 has burrs (8 pcs),
    4410-10 has rust (3 pcs)"): the affected count is their sum. None unless every part has one."""
    counts = []
    for i, (_start, end) in enumerate(spans):
        stop = spans[i + 1][0] if i + 1 < len(spans) else len(folded)
        sentence = _SENTENCE_END.search(folded, end, stop)
        piece = folded[end:sentence.start() if sentence else stop]
        own = next((m for m in mentions(piece) if m.unit and not (m.checked or m.part_of or m.aside)), None)
        if own is None:
            return None
        counts.append(own.value)
    return sum(counts)


def extract(text: str, *, line_stopped: bool = False) -> Extracted:
    """The facts of `text`. `line_stopped` is the classifier's reading of a stop (its own words):
    used only when the text's own reading of the line says nothing."""
    as_written = fold(text)  # folded once: the line is read from it as written, codes and counts without links
    folded = without_links(as_written)
    lot_matches = list(_LOT_LABEL.finditer(folded))
    # each pattern only where its word is (they are costly to try at every position)
    before_word = [*(_LOT_BEFORE.finditer(folded) if "批" in folded else ()),
                   *(_LOT_WORD_AFTER.finditer(folded) if "lot" in folded.lower() else ())]
    lots = _unique([c for m in lot_matches for c in _codes(m)] + [m.group(1) for m in before_word])
    lot_spans = [m.span(1) for m in lot_matches + before_word]
    vw_matches = list(_VW_PART.finditer(folded))
    vw = [m.group() for m in vw_matches]
    folded = _VW_PART.sub(lambda m: " " * len(m.group()), folded) if vw else folded
    part_matches = list(_PART_LABEL.finditer(folded))
    labelled = [c for m in part_matches for c in _codes(m)]
    bare = [m.group() for m in _BARE_PART.finditer(folded)
            if not any(s <= m.start() < e for s, e in lot_spans) and m.group().lower() not in _NOT_PARTS
            and not _NOT_PART_BEFORE.search(folded[max(0, m.start() - 24):m.start()])]
    taken = lot_spans + [m.span(1) for m in part_matches]
    bare += _bare_digit_parts(folded, taken) + _bare_number_parts(folded, taken) + _named_parts(folded, taken)
    # "L2312-01": L and a year-month with a sequence is a lot's shape, labelled or not
    lots = _unique(list(lots) + [p for p in labelled + bare if _DATED_LOT.fullmatch(p)])
    labelled, bare = [p for p in labelled if not _DATED_LOT.fullmatch(p)], [p for p in bare if not _DATED_LOT.fullmatch(p)]
    parts = _unique(vw + [p for p in labelled + bare if p.upper() not in {x.upper() for x in lots} and p.lower() not in _NOT_PARTS])
    # A code is not a count: what was read as a lot or part number is out of the quantity's reach.
    codes = [m.span() for m in re.finditer("|".join(re.escape(p) for p in sorted(parts + lots, key=len, reverse=True)), folded)] \
        if parts or lots else []
    keys = {p.upper() for p in parts}
    part_spans = sorted([m.span() for m in vw_matches] + [(s, e) for s, e in codes if folded[s:e].upper() in keys])
    for start, end in codes:
        folded = folded[:start] + " " * (end - start) + folded[end:]
    quantity, unit, checked, said = _quantities(folded)
    summed = _per_part(folded, part_spans) if len(part_spans) > 1 and not said else None
    if summed:  # "4410-09 has burrs (8 pcs), 4410-10 has rust (3 pcs). They sampled 100 of each."
        quantity, unit = summed, None
        checked = checked * len(part_spans) if checked and _EACH.search(folded) else checked
    if allowed_count(quantity) is None:  # past any count (domain/counts.py): a figure, not a fact to store
        quantity, unit, said = None, None, None
    if allowed_count(checked) is None:
        checked = None
    state = _line_state(as_written) or ("stopped" if line_stopped else None)
    return Extracted(parts, lots, quantity, unit, checked, said, state)


# ---- the customer's urgency and 8D request, from the policy's words (policy `urgency`) ----------
def _phrase(keyword: str) -> str:
    """A phrase as a pattern: English words whole ("rush" is not in "brush"), Chinese as written."""
    kw = re.escape(keyword.strip().lower())
    if keyword.isascii():
        return r"(?<![a-z0-9])" + kw + r"(?![a-z0-9])"
    return kw


class _Phrases:
    """Phrases grouped by what they say; where phrases overlap, the longest one speaks ("not
    urgent" over "urgent", 特别紧急 over 紧急, "no 8D needed" over "8D")."""

    def __init__(self, groups: dict[str, tuple[str, ...]]):
        self._groups = [(name, re.compile("|".join(_phrase(k) for k in sorted(words, key=len, reverse=True))))
                        for name, words in groups.items() if words]

    def said(self, text: str) -> set[str]:
        norm = _NOT_FACTS.sub(lambda m: " " * len(m.group()), fold(text)).lower()
        found = [(m.start(), m.end(), name) for name, regex in self._groups for m in regex.finditer(norm)]
        return {name for start, end, name in found
                if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, other in found if other != name)}


class FactWords:
    """Reads what the customer demands from the text: urgency (very_urgent | urgent | normal, None
    when the text says nothing) and whether they want an 8D (True, False, None when not said).
    Compiled once from the policy's `urgency` section."""

    def __init__(self, urgency_words, eight_d_words):
        self._urgency = _Phrases({"very_urgent": urgency_words.very_urgent, "urgent": urgency_words.urgent,
                                  "normal": urgency_words.normal})
        self._eight_d = _Phrases({"no": eight_d_words.not_wanted, "yes": eight_d_words.wanted})

    def urgency(self, text: str) -> str | None:
        said = self._urgency.said(text)
        return next((u for u in ("very_urgent", "urgent", "normal") if u in said), None)

    def wants_8d(self, text: str) -> bool | None:
        said = self._eight_d.said(text)
        return False if "no" in said else True if "yes" in said else None
